package org.rlhf4j.algorithms.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Collection;
import java.util.Map;

/**
 * Clips gradients by their global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} does.
 */
public final class GradientClipping {

    /** Added to the norm before dividing, as PyTorch does, so that a zero norm divides safely. */
    static final double NORM_EPSILON = 1e-6;

    private GradientClipping() {}

    /**
     * Computes the L2 norm of all gradients taken together, {@code sqrt(sum of g*g)}, summing in
     * float32 per array and in double across arrays.
     *
     * @param gradients the gradients; they are not changed
     * @return the global norm; NaN or infinity when a gradient contains such a value
     */
    public static double globalNorm(Collection<NDArray> gradients) {
        double sumOfSquares = 0;
        for (NDArray gradient : gradients) {
            NDArray asFloat = gradient.toType(DataType.FLOAT32, false);
            try (NDArray squares = asFloat.square(); NDArray sum = squares.sum()) {
                sumOfSquares += sum.getFloat();
            } finally {
                if (asFloat != gradient) {
                    asFloat.close();
                }
            }
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * Scales all gradients in place by {@code maxNorm / (norm + 1e-6)} when their global norm is
     * above {@code maxNorm}, and leaves them unchanged otherwise.
     *
     * @param gradients the gradients by parameter name, changed in place
     * @param maxNorm the largest global norm allowed; must be positive, and may be infinite to
     *     only compute the norm
     * @return the global norm before clipping; when it is NaN or infinite the gradients are left
     *     unchanged
     * @throws IllegalArgumentException when {@code maxNorm} is not positive
     */
    public static double clipByGlobalNorm(Map<String, NDArray> gradients, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(gradients.values());
        if (!Double.isFinite(norm)) {
            return norm;
        }
        double coefficient = maxNorm / (norm + NORM_EPSILON);
        if (coefficient < 1) {
            for (NDArray gradient : gradients.values()) {
                gradient.muli((float) coefficient);
            }
        }
        return norm;
    }
}
