package org.rlhf4j.algorithms.regression;

import java.util.List;

/**
 * Summary of one {@link RegressionTrainer#train} call.
 *
 * @param firstStep the 1-based optimizer step the call started at
 * @param lastStep the last optimizer step the call ran
 * @param losses loss of each step, in step order
 * @param firstLoss loss of the first step of the call
 * @param lastLoss loss of the last step of the call
 * @param examples number of examples trained on, counting repeats over epochs
 * @param seconds wall-clock time of the call
 */
public record RegressionResult(
        long firstStep, long lastStep, List<Double> losses, double firstLoss, double lastLoss, long examples,
        double seconds) {

    public RegressionResult {
        losses = List.copyOf(losses);
        if (losses.isEmpty()) {
            throw new IllegalArgumentException("A regression result needs at least one step loss");
        }
    }

    /** Returns the number of optimizer steps run by the call. */
    public int steps() {
        return losses.size();
    }
}
