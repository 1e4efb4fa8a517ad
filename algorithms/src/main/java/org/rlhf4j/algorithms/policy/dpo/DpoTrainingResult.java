package org.rlhf4j.algorithms.policy.dpo;

import java.util.List;

/**
 * The step metrics and duration of one {@link DpoTrainer#train} call.
 *
 * @param steps the metrics of every step of the call, in order
 * @param seconds wall-clock duration of the call
 */
public record DpoTrainingResult(List<DpoStepMetrics> steps, double seconds) {

    public DpoTrainingResult {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("A training result needs at least one step");
        }
    }

    /** Returns the metrics of the first step. */
    public DpoStepMetrics first() {
        return steps.get(0);
    }

    /** Returns the metrics of the last step. */
    public DpoStepMetrics last() {
        return steps.get(steps.size() - 1);
    }
}
