package org.rlhf4j.losses;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;

/**
 * Bradley-Terry loss of InstructGPT: the mean over pairs of {@code -log sigmoid(rc - rr)}, where
 * {@code rc} and {@code rr} are the chosen and rejected rewards. It ignores preference magnitudes.
 */
public final class BradleyTerryLoss implements RewardLoss {

    /** Plugin name of this loss. */
    public static final String NAME = "bt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Bradley-Terry loss: mean of -log sigmoid(chosen - rejected).";
    }

    /**
     * Computes the mean Bradley-Terry loss of the batch in float32.
     *
     * @throws IllegalArgumentException when the batch has no pairs
     */
    @Override
    public NDArray compute(PairwiseRewards rewards) {
        NDArray gap = RewardGaps.of(rewards, NAME);
        return StableMath.negLogSigmoid(gap).mean();
    }
}
