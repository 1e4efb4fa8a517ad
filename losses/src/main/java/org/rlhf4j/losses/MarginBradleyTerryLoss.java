package org.rlhf4j.losses;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;

/**
 * Bradley-Terry loss with a margin (Llama 2 style): the mean over pairs of
 * {@code -log sigmoid(rc - rr - m)}, where {@code m} is the raw preference magnitude (1, 2 or 3 in
 * HelpSteer2-Preference, not rescaled). The loss keeps pushing until the reward gap exceeds
 * {@code m}.
 */
public final class MarginBradleyTerryLoss implements RewardLoss {

    /** Plugin name of this loss. */
    public static final String NAME = "margin-bt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Bradley-Terry loss with margin: mean of -log sigmoid(chosen - rejected - magnitude).";
    }

    @Override
    public boolean usesMagnitude() {
        return true;
    }

    /**
     * Computes the mean margin Bradley-Terry loss of the batch in float32.
     *
     * @throws IllegalArgumentException when the batch has no pairs
     */
    @Override
    public NDArray compute(PairwiseRewards rewards) {
        NDArray gap = RewardGaps.of(rewards, NAME);
        NDArray shifted = gap.sub(RewardGaps.magnitude(rewards));
        return StableMath.negLogSigmoid(shifted).mean();
    }
}
