package org.rlhf4j.algorithms.checkpoint;

/**
 * Where the next optimizer step of a run reads the training data.
 *
 * <p>Step {@code k} (1-based) reads micro batches {@code ((k - 1) % stepsPerEpoch) * accumulation}
 * onwards of epoch {@code (k - 1) / stepsPerEpoch}, so after step {@code k} the next epoch is
 * {@code k / stepsPerEpoch} and the next micro batch is {@code (k % stepsPerEpoch) * accumulation}.
 * A checkpoint written on the last step of an epoch therefore points at batch 0 of the next epoch.
 *
 * @param epoch 0-based epoch that the next step reads
 * @param batch 0-based index of the next micro batch within that epoch
 * @param stepsPerEpoch optimizer steps per epoch, at least 1
 * @param batchesPerEpoch micro batches per epoch, at least 1
 */
public record DataPosition(int epoch, int batch, long stepsPerEpoch, int batchesPerEpoch) {

    public DataPosition {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (stepsPerEpoch < 1 || batchesPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch and batchesPerEpoch must be >= 1, got "
                    + stepsPerEpoch + " and " + batchesPerEpoch);
        }
        if (batch < 0 || batch >= batchesPerEpoch) {
            throw new IllegalArgumentException("batch must be in [0, " + batchesPerEpoch + "), got " + batch);
        }
    }

    /**
     * Computes the position after a completed step.
     *
     * @param step the last completed optimizer step, at least 0
     * @param stepsPerEpoch optimizer steps per epoch, at least 1
     * @param batchesPerEpoch micro batches per epoch, at least 1
     * @param accumulation micro batches per optimizer step, at least 1
     * @return the position of the next step
     */
    public static DataPosition after(long step, long stepsPerEpoch, int batchesPerEpoch, int accumulation) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (stepsPerEpoch < 1 || accumulation < 1) {
            throw new IllegalArgumentException("stepsPerEpoch and accumulation must be >= 1, got "
                    + stepsPerEpoch + " and " + accumulation);
        }
        int epoch = Math.toIntExact(step / stepsPerEpoch);
        int batch = Math.toIntExact((step % stepsPerEpoch) * accumulation);
        return new DataPosition(epoch, batch, stepsPerEpoch, batchesPerEpoch);
    }
}
