package org.rlhf4j.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-batch inputs of attention that depend only on the attention mask: the RoPE angles and the
 * additive score bias that combines the causal mask with the key padding mask. Every array is
 * attached to the manager given to {@link #create}.
 */
final class AttentionContext {

    /** Score added where a query must not see a key; finite, so rows with no visible key stay finite. */
    static final float MASKED_SCORE = -1e9f;

    private final NDArray cos;
    private final NDArray sin;
    private final NDArray bias;
    private final int ropeDimensionCount;

    private AttentionContext(NDArray cos, NDArray sin, NDArray bias, int ropeDimensionCount) {
        this.cos = cos;
        this.sin = sin;
        this.bias = bias;
        this.ropeDimensionCount = ropeDimensionCount;
    }

    /**
     * Builds the context of a batch without cached positions.
     *
     * <p>The RoPE position of a token is the number of real tokens before it (the cumulative sum of
     * the mask minus one, clamped at zero), so a sequence gets the same positions whether it is
     * padded on the left or on the right.
     *
     * @param scope the manager of the forward pass
     * @param mask 1 at real tokens and 0 at padding, shape [B, T], any numeric or boolean type
     * @param config the model configuration
     * @return the context
     */
    static AttentionContext create(NDManager scope, NDArray mask, LlamaConfig config) {
        return create(scope, mask, 0, config);
    }

    /**
     * Builds the context of the new tokens of a batch whose first {@code pastLength} positions are
     * already in a KV cache. Queries are the last {@code T - pastLength} positions and keys are all
     * {@code T} positions: a query attends to a key when the key is a real token and is not after it.
     * RoPE positions are counted over the whole mask, as in {@link #create(NDManager, NDArray, LlamaConfig)}.
     *
     * @param scope the manager of the forward pass
     * @param mask 1 at real tokens and 0 at padding for the cached and the new positions, shape [B, T]
     * @param pastLength number of cached positions, in [0, T)
     * @param config the model configuration
     * @return the context; the bias has shape [B, 1, 1, T - pastLength, T]
     */
    static AttentionContext create(NDManager scope, NDArray mask, int pastLength, LlamaConfig config) {
        long batch = mask.getShape().get(0);
        long length = mask.getShape().get(1);
        long queries = length - pastLength;
        NDArray keep = mask.toType(DataType.INT64, true);
        keep.attach(scope);

        int half = config.ropeDimensionCount() / 2;
        double[] frequencies = new double[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = Math.pow(config.ropeFreqBase(), -2.0 * i / config.ropeDimensionCount());
        }
        NDArray positions = keep.cumSum(1).sub(1).maximum(0).toType(DataType.FLOAT64, false);
        if (pastLength > 0) {
            positions = positions.get(":, " + pastLength + ":");
        }
        NDArray angles = positions.reshape(batch, queries, 1, 1)
                .mul(scope.create(frequencies).reshape(1, 1, 1, half));
        NDArray cos = angles.cos().toType(DataType.FLOAT32, false);
        NDArray sin = angles.sin().toType(DataType.FLOAT32, false);

        NDArray rows = scope.arange(pastLength, (int) length).reshape(queries, 1);
        NDArray causal = scope.arange((int) length).reshape(1, length).lte(rows);
        NDArray allowed = keep.gt(0).reshape(batch, 1, length).logicalAnd(causal);
        NDArray bias = allowed.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED_SCORE)
                .reshape(batch, 1, 1, queries, length);
        return new AttentionContext(cos, sin, bias, config.ropeDimensionCount());
    }

    /**
     * Returns the additive score bias, shape [B, 1, 1, queries, keys]: 0 where visible,
     * {@link #MASKED_SCORE} elsewhere.
     */
    NDArray bias() {
        return bias;
    }

    /**
     * Rotates the leading {@code ropeDimensionCount} dimensions of each head, pair (2i, 2i+1) by
     * the angle position * base^(-2i / ropeDimensionCount).
     *
     * @param x queries or keys, shape [B, T, heads, headDim]
     * @return the rotated array, same shape
     */
    NDArray rotate(NDArray x) {
        long headDim = x.getShape().get(3);
        if (headDim == ropeDimensionCount) {
            return rotatePairs(x);
        }
        NDArray rotated = rotatePairs(x.get("..., :" + ropeDimensionCount));
        return rotated.concat(x.get("..., " + ropeDimensionCount + ":"), -1);
    }

    private NDArray rotatePairs(NDArray x) {
        Shape shape = x.getShape();
        NDArray pairs = x.reshape(shape.get(0), shape.get(1), shape.get(2), ropeDimensionCount / 2, 2);
        NDArray even = pairs.get("..., 0");
        NDArray odd = pairs.get("..., 1");
        NDArray first = even.mul(cos).sub(odd.mul(sin));
        NDArray second = even.mul(sin).add(odd.mul(cos));
        return first.stack(second, -1).reshape(shape);
    }
}
