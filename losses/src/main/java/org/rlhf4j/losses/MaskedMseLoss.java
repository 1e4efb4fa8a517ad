package org.rlhf4j.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import org.rlhf4j.api.loss.RegressionLoss;

/**
 * Masked mean squared error of SteerLM-style attribute regression:
 * {@code sum over labelled slots of (predicted - label)^2 / number of labelled slots}.
 *
 * <p>A slot counts as labelled where the mask is non-zero. Labels in unlabelled slots never reach
 * the value or the gradient, so they may hold a sentinel such as -100, or even NaN. A batch with no
 * labelled slot gives 0, not NaN.
 */
public final class MaskedMseLoss implements RegressionLoss {

    /** Plugin name of this loss. */
    public static final String NAME = "regression";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Masked mean squared error over the labelled attribute slots.";
    }

    /**
     * Computes the masked MSE in float32.
     *
     * @throws IllegalArgumentException when the three arrays differ in shape
     */
    @Override
    public NDArray compute(NDArray predicted, NDArray labels, NDArray mask) {
        requireSameShape(predicted, labels, mask);
        NDArray labelled = mask.neq(0);
        NDArray prediction = StableMath.toFloat32(predicted);
        // Replace unlabelled labels before subtracting: a NaN there would otherwise turn the
        // gradient of the masked-out square into 0 * NaN = NaN.
        NDArray target = NDArrays.where(labelled, StableMath.toFloat32(labels), prediction.zerosLike());
        NDArray squares = prediction.sub(target).square();
        NDArray labelledSquares = NDArrays.where(labelled, squares, squares.zerosLike());
        NDArray count = StableMath.toFloat32(labelled).sum();
        return labelledSquares.sum().div(count.maximum(1f));
    }

    private static void requireSameShape(NDArray predicted, NDArray labels, NDArray mask) {
        if (!predicted.getShape().equals(labels.getShape()) || !predicted.getShape().equals(mask.getShape())) {
            throw new IllegalArgumentException(
                    "predicted, labels and mask must have the same shape, got " + predicted.getShape() + ", "
                            + labels.getShape() + " and " + mask.getShape());
        }
    }
}
