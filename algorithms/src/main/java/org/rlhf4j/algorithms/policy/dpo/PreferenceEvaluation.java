package org.rlhf4j.algorithms.policy.dpo;

/**
 * Implicit rewards of the policy on held-out preference pairs, from {@link DpoTrainer#evaluate}.
 *
 * <p>The reward of a response is {@code beta} times its log-ratio against the reference. Accuracy
 * is strict: a pair whose two rewards are equal counts as a miss and as a tie. A policy equal to
 * its reference gives every response reward 0, so every pair is a tie and the accuracy is 0.
 *
 * @param pairs number of evaluated pairs
 * @param accuracy share of pairs whose chosen reward is strictly above the rejected reward
 * @param ties number of pairs with equal rewards
 * @param meanChosenReward mean reward of the chosen responses
 * @param meanRejectedReward mean reward of the rejected responses
 * @param meanLoss mean preference loss of the optimizer over the pairs
 */
public record PreferenceEvaluation(int pairs, double accuracy, int ties, double meanChosenReward,
        double meanRejectedReward, double meanLoss) {

    /** Returns the mean reward margin, chosen minus rejected reward. */
    public double meanMargin() {
        return meanChosenReward - meanRejectedReward;
    }
}
