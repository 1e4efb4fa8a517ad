package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Reductions over the positions where a mask is set. Masked-out positions are replaced by zero
 * with {@code where}, not multiplied by the mask, so a NaN or infinity at a padded position never
 * reaches the result. Every result is attached to the manager of {@code values}.
 */
final class Masked {

    private Masked() {}

    /** Returns {@code values} with zeros where the mask is 0; the mask may have any numeric or boolean type. */
    static NDArray zeroOutside(NDArray values, NDArray mask) {
        NDArray keep = mask.toType(values.getDataType(), false).gt(0);
        return NDArrays.where(keep, values, values.zerosLike());
    }

    /** Returns the sum over masked positions, a scalar. */
    static NDArray sum(NDArray values, NDArray mask) {
        return zeroOutside(values, mask).sum();
    }

    /** Returns the number of masked positions, a scalar of the type of {@code values}. */
    static NDArray count(NDArray values, NDArray mask) {
        return mask.toType(values.getDataType(), false).gt(0).toType(values.getDataType(), false).sum();
    }

    /** Returns the mean over masked positions, a scalar; 0 when no position is set. */
    static NDArray mean(NDArray values, NDArray mask) {
        return sum(values, mask).div(count(values, mask).maximum(1f));
    }

    /** Returns the sum of each row over its masked positions, shape [B] for values [B, T]. */
    static NDArray rowSum(NDArray values, NDArray mask) {
        return zeroOutside(values, mask).sum(new int[] {1});
    }

    /** Returns the mean of each row over its masked positions, shape [B]; 0 for a row with no set position. */
    static NDArray rowMean(NDArray values, NDArray mask) {
        NDArray counts = mask.toType(values.getDataType(), false).gt(0).toType(values.getDataType(), false)
                .sum(new int[] {1});
        return rowSum(values, mask).div(counts.maximum(1f));
    }
}
