package org.rlhf4j.losses;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;

/**
 * Magnitude-scaled Bradley-Terry loss of HelpSteer2-Preference: the mean over pairs of
 * {@code -m * log sigmoid(rc - rr)}.
 *
 * <p>The sum is divided by the number of pairs, not by the sum of magnitudes, as in NVIDIA
 * NeMo-Aligner's {@code scaled_bt} loss. A pair of magnitude {@code m} therefore weighs as much as
 * {@code m} copies of a magnitude-1 pair, and batches with stronger preferences give larger
 * gradients. Unlike {@link MarginBradleyTerryLoss} it does not ask for a reward gap of at least
 * {@code m}.
 *
 * <p>The loss does not check the magnitudes, because that would copy them from the device.
 * {@link org.rlhf4j.api.data.PreferencePair} guarantees positive magnitudes, and a tie (magnitude
 * 0) would add nothing to the sum but still count in the divisor.
 */
public final class ScaledBradleyTerryLoss implements RewardLoss {

    /** Plugin name of this loss. */
    public static final String NAME = "scaled-bt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Scaled Bradley-Terry loss: mean of -magnitude * log sigmoid(chosen - rejected).";
    }

    @Override
    public boolean usesMagnitude() {
        return true;
    }

    /**
     * Computes the mean scaled Bradley-Terry loss of the batch in float32.
     *
     * @throws IllegalArgumentException when the batch has no pairs
     */
    @Override
    public NDArray compute(PairwiseRewards rewards) {
        NDArray gap = RewardGaps.of(rewards, NAME);
        NDArray perPair = StableMath.negLogSigmoid(gap).mul(RewardGaps.magnitude(rewards));
        return perPair.mean();
    }
}
