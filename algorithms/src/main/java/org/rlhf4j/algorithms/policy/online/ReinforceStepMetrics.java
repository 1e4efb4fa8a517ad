package org.rlhf4j.algorithms.policy.online;

/**
 * Measurements of one REINFORCE step.
 *
 * @param step the 1-based step
 * @param totalSteps the number of steps of the run
 * @param rollout rewards, KL and shape of the step's samples, measured before the update
 * @param updated whether the step updated the policy. It is false when every advantage was 0 and
 *     the KL penalty was in the reward, because there was then no gradient to follow
 * @param loss the policy-gradient loss (plus the KL term when the penalty is in the loss)
 * @param meanAdvantage mean absolute RLOO advantage over the samples; 0 when no group had two
 *     samples that ended
 * @param learningRate the learning rate of the update
 * @param gradNorm the global gradient norm before clipping
 * @param seconds wall time of the step
 */
public record ReinforceStepMetrics(long step, long totalSteps, RolloutStats rollout, boolean updated, double loss,
        double meanAdvantage, double learningRate, double gradNorm, double seconds) {}
