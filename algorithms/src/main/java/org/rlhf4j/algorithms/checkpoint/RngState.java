package org.rlhf4j.algorithms.checkpoint;

import java.util.Objects;

/**
 * State of the random generator that orders the training batches.
 *
 * <p>The reward trainer's only random generator is the batch shuffle of its {@code PairBatcher}: a
 * {@link java.util.Random} created for each epoch from the seed and the epoch number, so its whole
 * state at the start of a step is the pair (seed, epoch). Model weights come from the checkpoint,
 * and training uses no dropout or sampling.
 *
 * @param generator name of the generator, {@link #BATCH_ORDER_GENERATOR} for the trainer
 * @param seed seed of the batch order
 * @param epoch 0-based epoch whose generator the next step uses
 */
public record RngState(String generator, long seed, int epoch) {

    /** Name recorded for the batch-order generator of the reward trainer. */
    public static final String BATCH_ORDER_GENERATOR = "java.util.Random per epoch (PairBatcher)";

    public RngState {
        Objects.requireNonNull(generator, "generator");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
    }

    /**
     * Creates the batch-order state of the reward trainer.
     *
     * @param seed the seed of the batch order
     * @param epoch the 0-based epoch the next step reads
     * @return the state
     */
    public static RngState batchOrder(long seed, int epoch) {
        return new RngState(BATCH_ORDER_GENERATOR, seed, epoch);
    }
}
