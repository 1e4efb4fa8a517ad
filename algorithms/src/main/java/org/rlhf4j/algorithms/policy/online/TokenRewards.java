package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-token rewards of PPO: the sequence score on the last response token and nothing elsewhere,
 * before the KL change of {@link KlPenalty#tokenRewardChange} is added.
 *
 * <p>The last response token is the last position whose mask is set: the EOS when the sample ended,
 * else the last sampled token of a truncated sample. The score therefore never lands on padding,
 * which the loss masks out, and the sum of the rewards over the masked positions equals the score.
 */
public final class TokenRewards {

    private TokenRewards() {}

    /**
     * Places each score on the last masked position of its row.
     *
     * @param scores the score of each sequence, shape [B]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T], any numeric or boolean
     *     type; padding may be on either side
     * @return float32 rewards, shape [B, T], attached to the manager of {@code scores}
     * @throws IllegalArgumentException when the shapes disagree or a row has no response token
     */
    public static NDArray placeScores(NDArray scores, NDArray mask) {
        Shape shape = mask.getShape();
        if (shape.dimension() != 2 || !scores.getShape().equals(new Shape(shape.get(0)))) {
            throw new IllegalArgumentException("scores must have shape [B] and mask [B, T], got " + scores.getShape()
                    + " and " + shape);
        }
        long batch = shape.get(0);
        long length = shape.get(1);
        NDManager scope = scores.getManager();
        NDArray ordinals = scope.arange(1f, length + 1f, 1f, DataType.INT64).reshape(1, length);
        // Position t counts as t + 1 where the mask is set and 0 elsewhere; the row maximum is last + 1.
        NDArray set = mask.toType(DataType.FLOAT32, false).gt(0).toType(DataType.INT64, false);
        NDArray lastPlusOne = set.mul(ordinals).max(new int[] {1}, true);
        long[] checked = lastPlusOne.toLongArray();
        for (int row = 0; row < checked.length; row++) {
            if (checked[row] == 0) {
                throw new IllegalArgumentException("row " + row + " of the mask has no response token");
            }
        }
        NDArray atLast = ordinals.eq(lastPlusOne);
        NDArray broadcastScores = scores.toType(DataType.FLOAT32, false).reshape(batch, 1).broadcast(batch, length);
        return NDArrays.where(atLast, broadcastScores, broadcastScores.zerosLike());
    }
}
