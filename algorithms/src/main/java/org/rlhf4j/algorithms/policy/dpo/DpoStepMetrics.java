package org.rlhf4j.algorithms.policy.dpo;

/**
 * Measurements of one optimizer step of a {@link DpoTrainer}. Losses and rewards are means over
 * the step's pairs; a reward is {@code beta} times the log-ratio of a response.
 *
 * @param step the 1-based optimizer step
 * @param totalSteps the number of steps of the run
 * @param epoch the 1-based epoch of the step
 * @param loss the total loss: preference loss plus {@code sftWeight} times the SFT loss
 * @param preferenceLoss the loss of the preference optimizer
 * @param sftLoss the mean negative log-likelihood per token of the chosen responses, whether or not
 *     it is weighted into the loss
 * @param accuracy share of pairs whose chosen reward is strictly above the rejected reward
 * @param chosenReward mean implicit reward of the chosen responses
 * @param rejectedReward mean implicit reward of the rejected responses
 * @param learningRate the learning rate of the step
 * @param gradNorm the global gradient norm before clipping
 * @param pairs number of pairs in the step
 * @param seconds wall-clock duration of the step
 */
public record DpoStepMetrics(long step, long totalSteps, int epoch, double loss, double preferenceLoss,
        double sftLoss, double accuracy, double chosenReward, double rejectedReward, double learningRate,
        double gradNorm, int pairs, double seconds) {

    /** Returns the mean reward margin, chosen minus rejected reward. */
    public double rewardMargin() {
        return chosenReward - rejectedReward;
    }
}
