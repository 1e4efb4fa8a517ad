package org.rlhf4j.algorithms.reward;

import ai.djl.Device;
import java.util.List;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;

/**
 * Settings of a {@link RewardTrainer} run. Create one with {@link #builder()}; every value is
 * validated when the config is built.
 *
 * <p>Optimizer defaults are PyTorch's AdamW defaults (betas 0.9 and 0.999, epsilon 1e-8, no weight
 * decay). NVIDIA's NeMo-Aligner recipe for the HelpSteer2-Preference Scaled-BT reward model used
 * learning rate 1e-6, constant after 10 warm-up steps, with 64 pairs per optimizer step and
 * gradient clipping at 1.0. The learning-rate, warm-up, batch and clipping defaults below follow
 * that recipe. The recipe's weight decay 0.1 and betas 0.9 and 0.98 are not the defaults here.
 *
 * @param learningRate peak learning rate
 * @param warmupSteps optimizer steps of linear warm-up
 * @param schedule what the learning rate does after the warm-up
 * @param minLearningRate learning rate at the end of a cosine decay
 * @param weightDecay decoupled weight decay of AdamW
 * @param beta1 first-moment decay of AdamW
 * @param beta2 second-moment decay of AdamW
 * @param epsilon denominator term of AdamW
 * @param maxGradNorm global L2 norm the gradients are clipped to; 0 turns clipping off
 * @param globalBatchPairs pairs per optimizer step
 * @param microBatchPairs pairs per forward and backward pass, split across the devices when there
 *     are several; divides {@code globalBatchPairs}
 * @param epochs passes over the data; 0 when {@code maxSteps} sets the length instead
 * @param maxSteps optimizer steps of the run; 0 when {@code epochs} sets the length instead
 * @param maxLength largest number of tokens per sequence, for {@link PairEncoder}
 * @param truncationMode what {@link PairEncoder} does with longer sequences
 * @param paddingSide where batches are padded
 * @param padTokenId token id written at padded positions (they are masked out)
 * @param seed seed of the batch order
 * @param logEvery one INFO line every this many optimizer steps, and at the last step
 * @param bucketBatches micro batches per length bucket of the {@link PairBatcher}
 * @param devices devices of the data-parallel replicas, the model's own device first; empty for
 *     the model's device alone. Checkpoints do not record them, so a run may resume on other devices
 */
public record RewardTrainerConfig(
        double learningRate,
        int warmupSteps,
        LearningRateSchedule.Kind schedule,
        double minLearningRate,
        double weightDecay,
        double beta1,
        double beta2,
        double epsilon,
        double maxGradNorm,
        int globalBatchPairs,
        int microBatchPairs,
        int epochs,
        long maxSteps,
        int maxLength,
        TruncationMode truncationMode,
        PaddingSide paddingSide,
        int padTokenId,
        long seed,
        int logEvery,
        int bucketBatches,
        List<Device> devices) {

    public RewardTrainerConfig {
        requireFinite("learningRate", learningRate, false);
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        requireNonNull("schedule", schedule);
        requireFinite("minLearningRate", minLearningRate, true);
        if (minLearningRate > learningRate) {
            throw new IllegalArgumentException(
                    "minLearningRate " + minLearningRate + " is above learningRate " + learningRate);
        }
        // AdamW's builder checks the optimizer values with the messages users should see.
        AdamW.builder().betas(beta1, beta2).epsilon(epsilon).weightDecay(weightDecay);
        requireFinite("maxGradNorm", maxGradNorm, true);
        requirePositive("globalBatchPairs", globalBatchPairs);
        requirePositive("microBatchPairs", microBatchPairs);
        if (globalBatchPairs % microBatchPairs != 0) {
            throw new IllegalArgumentException("globalBatchPairs " + globalBatchPairs
                    + " must be a multiple of microBatchPairs " + microBatchPairs);
        }
        if (epochs < 0 || maxSteps < 0 || (epochs > 0) == (maxSteps > 0)) {
            throw new IllegalArgumentException("Exactly one of epochs and maxSteps must be positive, got epochs="
                    + epochs + " maxSteps=" + maxSteps);
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2 to hold BOS and EOS, got " + maxLength);
        }
        requireNonNull("truncationMode", truncationMode);
        requireNonNull("paddingSide", paddingSide);
        if (padTokenId < 0) {
            throw new IllegalArgumentException("padTokenId must be >= 0, got " + padTokenId);
        }
        requirePositive("logEvery", logEvery);
        requirePositive("bucketBatches", bucketBatches);
        requireNonNull("devices", devices);
        for (int i = 0; i < devices.size(); i++) {
            requireNonNull("devices[" + i + "]", devices.get(i));
        }
        devices = List.copyOf(devices);
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the number of micro batches accumulated per optimizer step. */
    public int accumulationSteps() {
        return globalBatchPairs / microBatchPairs;
    }

    /**
     * Creates the learning-rate schedule of a run.
     *
     * @param totalSteps the number of optimizer steps of the run
     * @return the schedule
     */
    public LearningRateSchedule learningRateSchedule(long totalSteps) {
        return new LearningRateSchedule(schedule, learningRate, warmupSteps, totalSteps, minLearningRate);
    }

    /** Returns an AdamW builder with this config's betas, epsilon and weight decay. */
    public AdamW.Builder optimizerBuilder() {
        return AdamW.builder().betas(beta1, beta2).epsilon(epsilon).weightDecay(weightDecay);
    }

    private static void requireFinite(String name, double value, boolean zeroAllowed) {
        boolean valid = Double.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
        if (!valid) {
            throw new IllegalArgumentException(
                    name + " must be " + (zeroAllowed ? "finite and >= 0" : "positive and finite") + ", got " + value);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    private static void requireNonNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /** Collects the settings of a {@link RewardTrainerConfig}; unset values keep their defaults. */
    public static final class Builder {

        private double learningRate = 1e-6;
        private int warmupSteps = 10;
        private LearningRateSchedule.Kind schedule = LearningRateSchedule.Kind.CONSTANT;
        private double minLearningRate = 0.0;
        private double weightDecay = AdamW.DEFAULT_WEIGHT_DECAY;
        private double beta1 = AdamW.DEFAULT_BETA1;
        private double beta2 = AdamW.DEFAULT_BETA2;
        private double epsilon = AdamW.DEFAULT_EPSILON;
        private double maxGradNorm = 1.0;
        private int globalBatchPairs = 64;
        private int microBatchPairs = 4;
        private Integer epochs;
        private Long maxSteps;
        private int maxLength = 4096;
        private TruncationMode truncationMode = TruncationMode.FILTER;
        private PaddingSide paddingSide = PaddingSide.RIGHT;
        private int padTokenId = 0;
        private long seed = 42;
        private int logEvery = 1;
        private int bucketBatches = 8;
        private List<Device> devices = List.of();

        private Builder() {}

        /** Sets the peak learning rate, positive; default 1e-6. */
        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        /** Sets the number of linear warm-up steps, at least 0; default 10. */
        public Builder warmupSteps(int value) {
            this.warmupSteps = value;
            return this;
        }

        /** Sets what the learning rate does after the warm-up; default {@code CONSTANT}. */
        public Builder schedule(LearningRateSchedule.Kind value) {
            this.schedule = value;
            return this;
        }

        /** Sets the learning rate at the end of a cosine decay, in [0, learningRate]; default 0. */
        public Builder minLearningRate(double value) {
            this.minLearningRate = value;
            return this;
        }

        /** Sets AdamW's decoupled weight decay, at least 0; default 0.0. */
        public Builder weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        /** Sets AdamW's moment decay rates, each in [0, 1); default 0.9 and 0.999. */
        public Builder betas(double first, double second) {
            this.beta1 = first;
            this.beta2 = second;
            return this;
        }

        /** Sets AdamW's denominator term, positive; default 1e-8. */
        public Builder epsilon(double value) {
            this.epsilon = value;
            return this;
        }

        /** Sets the global gradient norm to clip to, at least 0, where 0 turns clipping off; default 1.0. */
        public Builder maxGradNorm(double value) {
            this.maxGradNorm = value;
            return this;
        }

        /** Sets the number of pairs per optimizer step, at least 1; default 64. */
        public Builder globalBatchPairs(int value) {
            this.globalBatchPairs = value;
            return this;
        }

        /** Sets the number of pairs per forward and backward pass, a divisor of the global batch; default 4. */
        public Builder microBatchPairs(int value) {
            this.microBatchPairs = value;
            return this;
        }

        /** Sets the number of passes over the data, at least 1; default 1. Excludes {@link #maxSteps}. */
        public Builder epochs(int value) {
            this.epochs = value;
            return this;
        }

        /**
         * Sets the number of optimizer steps, at least 1; the data is reshuffled and repeated as often
         * as needed. Excludes {@link #epochs}; unset by default.
         */
        public Builder maxSteps(long value) {
            this.maxSteps = value;
            return this;
        }

        /** Sets the largest number of tokens per sequence, at least 2; default 4096. */
        public Builder maxLength(int value) {
            this.maxLength = value;
            return this;
        }

        /** Sets what happens to longer sequences; default {@code FILTER}. */
        public Builder truncationMode(TruncationMode value) {
            this.truncationMode = value;
            return this;
        }

        /** Sets where batches are padded; default {@code RIGHT}. */
        public Builder paddingSide(PaddingSide value) {
            this.paddingSide = value;
            return this;
        }

        /** Sets the token id written at padded positions, at least 0; default 0. */
        public Builder padTokenId(int value) {
            this.padTokenId = value;
            return this;
        }

        /** Sets the seed of the batch order; default 42. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Sets how often a step is logged, in optimizer steps, at least 1; default 1. */
        public Builder logEvery(int value) {
            this.logEvery = value;
            return this;
        }

        /** Sets the number of micro batches per length bucket, at least 1; default 8. */
        public Builder bucketBatches(int value) {
            this.bucketBatches = value;
            return this;
        }

        /**
         * Sets the devices to train on with one model replica each, the model's own device first.
         * Each micro batch is split across the replicas, so {@code microBatchPairs} counts the pairs
         * of one forward pass over all devices together. A device may appear more than once, which
         * runs several replicas on it. Default: empty, for the model's device alone.
         *
         * @param value the devices; may be empty, but no element may be null
         * @return this builder
         */
        public Builder devices(List<Device> value) {
            this.devices = value;
            return this;
        }

        /**
         * Validates the settings and creates the config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the first invalid setting, or when both epochs and
         *     maxSteps were set
         */
        public RewardTrainerConfig build() {
            if (epochs != null && maxSteps != null) {
                throw new IllegalArgumentException(
                        "Set either epochs or maxSteps, not both (epochs=" + epochs + ", maxSteps=" + maxSteps + ")");
            }
            int epochCount = maxSteps != null ? 0 : (epochs != null ? epochs : 1);
            long stepCount = maxSteps != null ? maxSteps : 0;
            return new RewardTrainerConfig(learningRate, warmupSteps, schedule, minLearningRate, weightDecay, beta1,
                    beta2, epsilon, maxGradNorm, globalBatchPairs, microBatchPairs, epochCount, stepCount, maxLength,
                    truncationMode, paddingSide, padTokenId, seed, logEvery, bucketBatches, devices);
        }
    }
}
