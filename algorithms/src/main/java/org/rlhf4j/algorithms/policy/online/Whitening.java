package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

/**
 * Whitening of advantages over the valid (masked) tokens of a batch:
 * {@code (x - mean) / sqrt(var + 1e-8)}, with the mean and the population variance taken over the
 * masked positions only. Positions outside the mask keep their input value.
 *
 * <p>With fewer than 2 valid tokens the variance says nothing, so the input array itself is
 * returned unchanged; the result never contains a NaN made by the whitening.
 */
public final class Whitening {

    /** Added to the variance before the square root. */
    public static final double EPSILON = 1e-8;

    private Whitening() {}

    /**
     * Whitens the values at the masked positions.
     *
     * @param values float32 or float64 values, shape [B, T]
     * @param mask 1 at valid tokens and 0 elsewhere, same shape
     * @return a new array of the same shape and type, or {@code values} itself when fewer than 2
     *     positions are valid
     */
    public static NDArray whiten(NDArray values, NDArray mask) {
        if (!values.getShape().equals(mask.getShape())) {
            throw new IllegalArgumentException("values shape " + values.getShape() + " differs from mask shape "
                    + mask.getShape());
        }
        double valid = Masked.count(values, mask).toType(DataType.FLOAT64, false).getDouble();
        if (valid < 2) {
            return values;
        }
        NDArray mean = Masked.mean(values, mask);
        NDArray centered = values.sub(mean);
        NDArray variance = Masked.mean(centered.square(), mask);
        NDArray whitened = centered.div(variance.add((float) EPSILON).sqrt());
        NDArray keep = mask.toType(values.getDataType(), false).gt(0);
        return NDArrays.where(keep, whitened, values);
    }
}
