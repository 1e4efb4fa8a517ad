package org.rlhf4j.api.loss;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.api.Plugin;

/**
 * A pairwise reward-model loss of the Bradley-Terry family.
 *
 * <p>Implementations must be numerically stable for large reward gaps (compute
 * {@code -log sigmoid(x)} as {@code softplus(-x)}, never as {@code -log(sigmoid(x))}), compute in
 * float32 whatever the input type, and return the <em>mean</em> over pairs so that the loss does
 * not grow with the batch size.
 */
public interface RewardLoss extends Plugin {

    /**
     * Computes the mean loss of a batch of pairs.
     *
     * @param rewards chosen and rejected rewards with preference magnitudes
     * @return a float32 scalar that is differentiable with respect to both reward arrays
     */
    NDArray compute(PairwiseRewards rewards);

    /**
     * Tells whether the loss reads {@link PairwiseRewards#magnitude()}. Losses that do not use it
     * can train on data sets without preference magnitudes.
     *
     * @return true when the magnitude changes the value of the loss
     */
    default boolean usesMagnitude() {
        return false;
    }
}
