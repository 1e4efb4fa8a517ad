package org.rlhf4j.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

/**
 * Numerically stable element-wise functions built from engine-independent DJL operations.
 *
 * <p>DJL 0.36 has no {@code log1p}, and its {@code softPlus} is an engine-specific internal
 * operation, so both are composed here from operations that every engine provides.
 */
public final class StableMath {

    /** Below this argument {@link #log1p} uses its Taylor series instead of {@code log(1 + t)}. */
    private static final float SERIES_LIMIT = 0.01f;

    private StableMath() {}

    /**
     * Computes {@code softplus(x) = log(1 + exp(x))} element-wise as
     * {@code max(x, 0) + log1p(exp(-|x|))}, which does not overflow for finite {@code x}.
     *
     * <p>The gradient is {@code sigmoid(x)} everywhere, including at {@code x = 0}, provided the
     * engine gives {@code |x|} the gradient 0 at 0 and splits the gradient of {@code max} at a tie
     * (PyTorch does both).
     *
     * @param x input of any floating-point type, computed in its own type
     * @return an array of the same shape and type
     */
    public static NDArray softplus(NDArray x) {
        NDArray positivePart = x.maximum(constant(x, 0f));
        NDArray correction = log1p(x.abs().neg().exp());
        return positivePart.add(correction);
    }

    /**
     * Computes {@code -log sigmoid(x)} element-wise as {@code softplus(-x)}. At {@code x = -100}
     * the result is 100, where {@code -log(sigmoid(x))} in float32 gives infinity.
     *
     * @param x input of any floating-point type
     * @return an array of the same shape and type
     */
    public static NDArray negLogSigmoid(NDArray x) {
        return softplus(x.neg());
    }

    /**
     * Computes {@code log(1 + t)} element-wise for {@code t} in {@code [0, 1]}, accurate also for
     * tiny {@code t}.
     *
     * <p>Below 0.01 it evaluates the series {@code t - t^2/2 + t^3/3 - t^4/4}, whose truncation error
     * is under {@code t^5/5}. At and above 0.01 it evaluates {@code log(1 + t)}, whose float32 relative
     * error there is under 1e-5. Both branches are finite for every {@code t} in range, so the
     * gradient of the unselected branch is zero, never NaN.
     *
     * @param t input in {@code [0, 1]}
     * @return an array of the same shape and type
     */
    public static NDArray log1p(NDArray t) {
        NDArray one = constant(t, 1f);
        NDArray innermost = t.mul(constant(t, -0.25f)).add(constant(t, 1f / 3f));
        NDArray series = t.mul(t.mul(t.mul(innermost).sub(constant(t, 0.5f))).add(one));
        NDArray direct = t.add(one).log();
        return NDArrays.where(t.lt(SERIES_LIMIT), series, direct);
    }

    /**
     * Creates a scalar of {@code like}'s type in {@code like}'s manager.
     *
     * <p>NOTE: DJL 0.36's {@code NDArray.mul(Number)} and similar overloads wrap the number in a
     * temporary array that they close at once, while PyTorch's autograd keeps pointing at its memory
     * for the backward pass, so a garbage collection between forward and backward corrupts the
     * gradient. A scalar owned by the input's manager lives until that manager closes, after backward.
     */
    static NDArray constant(NDArray like, float value) {
        NDArray scalar = like.getManager().create(value);
        return scalar.getDataType() == like.getDataType() ? scalar : scalar.toType(like.getDataType(), false);
    }

    /**
     * Returns the array in float32, converting it when it has another type. The conversion keeps
     * the array in the autograd graph.
     *
     * @param array input of any numeric type
     * @return {@code array} itself when it is float32, else a float32 copy
     */
    public static NDArray toFloat32(NDArray array) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array;
        }
        return array.toType(DataType.FLOAT32, false);
    }
}
