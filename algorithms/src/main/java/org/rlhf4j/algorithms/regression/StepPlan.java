package org.rlhf4j.algorithms.regression;

import java.util.List;

/**
 * Maps an optimizer step to its epoch and micro batches. Step {@code k} (1-based) is step
 * {@code (k - 1) % stepsPerEpoch} of epoch {@code (k - 1) / stepsPerEpoch}, so the mapping does
 * not depend on where a run started, and a resumed run gets the batches the stopped run would have
 * trained on.
 *
 * @param <T> the item type
 */
final class StepPlan<T> {

    private final LengthBucketBatcher<T> batcher;
    private final int accumulation;
    private final long stepsPerEpoch;
    private int cachedEpoch = -1;
    private List<List<T>> epochBatches = List.of();

    StepPlan(LengthBucketBatcher<T> batcher, int accumulation) {
        this.batcher = batcher;
        this.accumulation = accumulation;
        this.stepsPerEpoch = stepsPerEpoch(batcher.batchesPerEpoch(), accumulation);
    }

    /** Returns the number of optimizer steps per epoch for a number of micro batches per epoch. */
    static long stepsPerEpoch(int microBatches, int accumulation) {
        return (microBatches + accumulation - 1) / accumulation;
    }

    /** Returns the 1-based epoch of a step. */
    int epoch(long step) {
        return (int) ((step - 1) / stepsPerEpoch) + 1;
    }

    /** Tells whether a step is the last of its epoch. */
    boolean endsEpoch(long step) {
        return step % stepsPerEpoch == 0;
    }

    /** Returns the micro batches of a step; the last step of an epoch may have fewer. */
    List<List<T>> microBatches(long step) {
        int epochIndex = epoch(step) - 1;
        if (epochIndex != cachedEpoch) {
            epochBatches = batcher.batches(epochIndex);
            cachedEpoch = epochIndex;
        }
        int index = (int) ((step - 1) % stepsPerEpoch);
        int from = index * accumulation;
        return epochBatches.subList(from, Math.min(from + accumulation, epochBatches.size()));
    }
}
