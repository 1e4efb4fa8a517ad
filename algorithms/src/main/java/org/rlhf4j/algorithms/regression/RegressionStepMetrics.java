package org.rlhf4j.algorithms.regression;

/**
 * Measurements of one optimizer step of a {@link RegressionTrainer}.
 *
 * @param step the 1-based optimizer step
 * @param totalSteps the number of optimizer steps of the run
 * @param epoch the 1-based epoch the step belongs to
 * @param loss the loss over all labelled slots of the step, before the update. For the masked MSE
 *     this is the mean squared error in target units.
 * @param learningRate learning rate used by the update
 * @param gradNorm global L2 norm of the gradients before clipping
 * @param examples number of examples in the step
 * @param labelledSlots number of labelled slots in the step
 * @param examplesPerSecond examples of the step divided by its wall-clock time
 * @param seconds wall-clock time of the step
 */
public record RegressionStepMetrics(
        long step,
        long totalSteps,
        int epoch,
        double loss,
        double learningRate,
        double gradNorm,
        int examples,
        int labelledSlots,
        double examplesPerSecond,
        double seconds) {}
