package org.rlhf4j.algorithms.policy.online;

import java.util.Objects;

/**
 * A reward source and the weight of its rewards in the sum that trains the policy.
 *
 * @param source the source
 * @param weight the weight, finite; may be negative to penalise what the source rewards
 */
public record WeightedReward(RewardSource source, double weight) {

    public WeightedReward {
        Objects.requireNonNull(source, "source");
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight of reward source '" + source.name() + "' must be finite, got "
                    + weight);
        }
    }
}
