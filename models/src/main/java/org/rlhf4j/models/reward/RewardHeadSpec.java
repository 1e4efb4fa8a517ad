package org.rlhf4j.models.reward;

import java.util.List;

/**
 * Shape and meaning of a reward head: one linear output per attribute, read at the last
 * non-padding token. A plain Bradley-Terry head has one attribute, {@code "reward"}.
 *
 * @param attributes names of the head outputs, in output order
 * @param rewardIndex index of the output used as the scalar reward
 */
public record RewardHeadSpec(List<String> attributes, int rewardIndex) {

    public RewardHeadSpec {
        attributes = List.copyOf(attributes);
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("a reward head needs at least one attribute");
        }
        if (rewardIndex < 0 || rewardIndex >= attributes.size()) {
            throw new IllegalArgumentException(
                    "rewardIndex " + rewardIndex + " is outside the " + attributes.size() + " attributes " + attributes);
        }
    }

    /** Returns the head of a scalar reward model. */
    public static RewardHeadSpec scalar() {
        return new RewardHeadSpec(List.of("reward"), 0);
    }

    /** Returns the number of head outputs. */
    public int outputs() {
        return attributes.size();
    }

    @Override
    public String toString() {
        return "head(outputs=" + outputs() + ", attributes=" + attributes + ", reward=" + attributes.get(rewardIndex) + ")";
    }
}
