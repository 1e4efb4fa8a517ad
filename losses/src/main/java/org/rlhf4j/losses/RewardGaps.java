package org.rlhf4j.losses;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.api.loss.PairwiseRewards;

/** Shared steps of the pairwise losses: batch validation and the float32 reward gap. */
final class RewardGaps {

    private RewardGaps() {}

    /**
     * Computes {@code chosen - rejected} in float32.
     *
     * @param rewards the batch
     * @param lossName name of the calling loss, used in the error message
     * @return the reward gap of each pair, shape {@code [pairs]}
     * @throws IllegalArgumentException when the batch has no pairs, because the mean over zero
     *     pairs is undefined
     */
    static NDArray of(PairwiseRewards rewards, String lossName) {
        requirePairs(rewards, lossName);
        NDArray chosen = StableMath.toFloat32(rewards.chosen());
        NDArray rejected = StableMath.toFloat32(rewards.rejected());
        return chosen.sub(rejected);
    }

    /** Returns the preference magnitudes in float32. */
    static NDArray magnitude(PairwiseRewards rewards) {
        return StableMath.toFloat32(rewards.magnitude());
    }

    private static void requirePairs(PairwiseRewards rewards, String lossName) {
        if (rewards.size() == 0) {
            throw new IllegalArgumentException(
                    "Loss '" + lossName + "' got a batch of 0 pairs; the mean over an empty batch is undefined");
        }
    }
}
