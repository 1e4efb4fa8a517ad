package org.rlhf4j.algorithms.checkpoint;

import java.util.Objects;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;

/**
 * The training state a checkpoint records besides its tensors: the optimizer step, the trainer
 * settings, the learning-rate schedule, the batch-order generator, the data position and the data
 * fingerprint. The AdamW step count equals {@code step}.
 *
 * @param step the last completed optimizer step, at least 1
 * @param config the trainer settings of the run
 * @param schedule the learning-rate schedule of the run
 * @param rng the state of the batch-order generator before the next step
 * @param position where the next step reads the data
 * @param data the fingerprint of the training pairs
 */
public record CheckpointManifest(long step, RewardTrainerConfig config, LearningRateSchedule schedule, RngState rng,
        DataPosition position, DataFingerprint data) {

    public CheckpointManifest {
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1, got " + step);
        }
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(rng, "rng");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(data, "data");
        if (rng.epoch() != position.epoch()) {
            throw new IllegalArgumentException("rng epoch " + rng.epoch() + " differs from data epoch "
                    + position.epoch());
        }
    }

    /** Returns the learning rate that the schedule gave the last completed step. */
    public double learningRate() {
        return schedule.learningRate(step);
    }
}
