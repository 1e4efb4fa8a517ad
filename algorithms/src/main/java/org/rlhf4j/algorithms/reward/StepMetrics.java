package org.rlhf4j.algorithms.reward;

/**
 * Measurements of one optimizer step.
 *
 * @param step the 1-based optimizer step
 * @param totalSteps the number of optimizer steps of the run
 * @param epoch the 1-based epoch the step belongs to
 * @param loss mean loss over the pairs of the step, before the update
 * @param accuracy share of the step's pairs whose chosen reward is strictly above the rejected
 *     reward, before the update
 * @param learningRate learning rate used by the update
 * @param gradNorm global L2 norm of the gradients before clipping
 * @param pairs number of pairs in the step
 * @param pairsPerSecond pairs of the step divided by its wall-clock time
 * @param seconds wall-clock time of the step
 */
public record StepMetrics(
        long step,
        long totalSteps,
        int epoch,
        double loss,
        double accuracy,
        double learningRate,
        double gradNorm,
        int pairs,
        double pairsPerSecond,
        double seconds) {}
