package org.rlhf4j.algorithms.reward;

import java.util.List;

/**
 * Summary of one {@link RewardTrainer#train} call.
 *
 * @param firstStep the 1-based optimizer step the call started at
 * @param lastStep the last optimizer step the call ran
 * @param losses mean loss of each step, in step order
 * @param accuracies strict training accuracy of each step, in step order
 * @param firstLoss loss of the first step of the call
 * @param lastLoss loss of the last step of the call
 * @param pairs number of pairs trained on, counting repeats over epochs
 * @param seconds wall-clock time of the call
 */
public record TrainingResult(
        long firstStep,
        long lastStep,
        List<Double> losses,
        List<Double> accuracies,
        double firstLoss,
        double lastLoss,
        long pairs,
        double seconds) {

    public TrainingResult {
        losses = List.copyOf(losses);
        accuracies = List.copyOf(accuracies);
        if (losses.isEmpty() || losses.size() != accuracies.size()) {
            throw new IllegalArgumentException("A training result needs one loss and one accuracy per step, got "
                    + losses.size() + " losses and " + accuracies.size() + " accuracies");
        }
    }

    /** Returns the number of optimizer steps run by the call. */
    public int steps() {
        return losses.size();
    }
}
