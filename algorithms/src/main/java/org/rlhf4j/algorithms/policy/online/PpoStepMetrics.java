package org.rlhf4j.algorithms.policy.online;

/**
 * Measurements of one PPO step. Loss and clip values are means over the step's updates.
 *
 * @param step the 1-based step
 * @param totalSteps the number of steps of the run
 * @param rollout rewards, KL and shape of the step's samples, measured before the updates
 * @param policyLoss the clipped-surrogate loss, minus the entropy bonus, plus the KL term when the
 *     penalty is in the loss
 * @param valueLoss the clipped value loss of the critic
 * @param policyClipFraction share of response tokens whose probability ratio was clipped
 * @param valueClipFraction share of response tokens whose value prediction was clipped
 * @param entropy mean entropy of the policy's next-token distribution at response tokens, in nats
 * @param learningRate the policy's learning rate at the step's last update
 * @param criticLearningRate the critic's learning rate at the step's last update
 * @param gradNorm the policy's global gradient norm before clipping
 * @param criticGradNorm the critic's global gradient norm before clipping
 * @param seconds wall time of the step
 */
public record PpoStepMetrics(long step, long totalSteps, RolloutStats rollout, double policyLoss, double valueLoss,
        double policyClipFraction, double valueClipFraction, double entropy, double learningRate,
        double criticLearningRate, double gradNorm, double criticGradNorm, double seconds) {}
