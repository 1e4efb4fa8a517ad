package org.rlhf4j.algorithms.regression;

/**
 * Receives the progress of a {@link RegressionTrainer} run, for example to write metrics files.
 * The trainer calls the methods on its own thread, between steps; an exception thrown by a
 * listener stops training.
 */
public interface RegressionListener {

    /**
     * Called once before the first step of a {@link RegressionTrainer#train} call.
     *
     * @param firstStep the 1-based optimizer step that comes next (above 1 when resuming)
     * @param totalSteps the number of optimizer steps of the whole run
     */
    default void onTrainingStart(long firstStep, long totalSteps) {}

    /**
     * Called after every optimizer step.
     *
     * @param metrics the measurements of the step
     */
    void onStep(RegressionStepMetrics metrics);

    /**
     * Called after the last step of every complete epoch.
     *
     * @param epoch the 1-based epoch that ended
     * @param step the optimizer step that ended it
     */
    default void onEpochEnd(int epoch, long step) {}

    /**
     * Called once after the last step of a {@link RegressionTrainer#train} call.
     *
     * @param result the summary of the call
     */
    default void onTrainingEnd(RegressionResult result) {}
}
