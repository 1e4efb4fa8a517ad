package org.rlhf4j.algorithms.policy.online;

import java.util.Objects;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.models.generate.SamplingConfig;

/**
 * Settings of a {@link ReinforceTrainer} run.
 *
 * <p>The defaults follow NeMo-Aligner's REINFORCE configuration where it sets a value. Each prompt
 * is sampled 4 times. The KL penalty is absolute k1 with coefficient 0.01 in the reward. The
 * learning rate is 9e-7 with 10 warm-up steps and a cosine decay to 9e-8, with gradient clipping
 * at 1.0. Sampling runs at temperature 1.0 with top-k and top-p off. Sizes that depend on the
 * hardware (prompts per step, batch sizes, response length) have small defaults.
 *
 * <p>Build one with {@link #builder()}; every setter checks its value.
 */
public final class ReinforceConfig {

    /** Default samples per prompt: 4. */
    public static final int DEFAULT_SAMPLES_PER_PROMPT = 4;
    /** Default prompts per step: 8. */
    public static final int DEFAULT_PROMPTS_PER_STEP = 8;
    /** Default number of steps: 100. */
    public static final int DEFAULT_STEPS = 100;
    /** Default peak learning rate: 9e-7. */
    public static final double DEFAULT_LEARNING_RATE = 9e-7;
    /** Default warm-up steps: 10. */
    public static final int DEFAULT_WARMUP_STEPS = 10;
    /** Default largest global gradient norm: 1.0. */
    public static final double DEFAULT_MAX_GRAD_NORM = 1.0;
    /** Default sequences per forward pass with gradients: 16. */
    public static final int DEFAULT_MICRO_BATCH_SIZE = 16;
    /** Default sequences per generation or scoring pass without gradients: 16. */
    public static final int DEFAULT_FORWARD_BATCH_SIZE = 16;

    private final int samplesPerPrompt;
    private final int promptsPerStep;
    private final int steps;
    private final KlPenalty klPenalty;
    private final LearningRateSchedule.Kind scheduleKind;
    private final double learningRate;
    private final double minLearningRate;
    private final int warmupSteps;
    private final double weightDecay;
    private final double maxGradNorm;
    private final SamplingConfig sampling;
    private final int microBatchSize;
    private final int forwardBatchSize;
    private final long seed;

    private ReinforceConfig(Builder builder) {
        this.samplesPerPrompt = builder.samplesPerPrompt;
        this.promptsPerStep = builder.promptsPerStep;
        this.steps = builder.steps;
        this.klPenalty = builder.klPenalty;
        this.scheduleKind = builder.scheduleKind;
        this.learningRate = builder.learningRate;
        this.minLearningRate = Double.isNaN(builder.minLearningRate) ? learningRate / 10 : builder.minLearningRate;
        this.warmupSteps = builder.warmupSteps;
        this.weightDecay = builder.weightDecay;
        this.maxGradNorm = builder.maxGradNorm;
        this.sampling = builder.sampling;
        this.microBatchSize = builder.microBatchSize;
        this.forwardBatchSize = builder.forwardBatchSize;
        this.seed = builder.seed;
        if (minLearningRate > learningRate) {
            throw new IllegalArgumentException("minLearningRate " + minLearningRate + " is above learningRate "
                    + learningRate);
        }
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the number of responses sampled for each prompt, at least 2. */
    public int samplesPerPrompt() {
        return samplesPerPrompt;
    }

    /** Returns the number of prompts of each step. */
    public int promptsPerStep() {
        return promptsPerStep;
    }

    /** Returns the number of steps (rollout, then one update) of the run. */
    public int steps() {
        return steps;
    }

    /** Returns the KL penalty. */
    public KlPenalty klPenalty() {
        return klPenalty;
    }

    /** Returns the peak learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** Returns the learning rate at the end of the cosine decay. */
    public double minLearningRate() {
        return minLearningRate;
    }

    /** Returns the number of warm-up steps. */
    public int warmupSteps() {
        return warmupSteps;
    }

    /** Returns the shape of the schedule after the warm-up. */
    public LearningRateSchedule.Kind scheduleKind() {
        return scheduleKind;
    }

    /** Returns the learning-rate schedule over the run's steps. */
    public LearningRateSchedule learningRateSchedule() {
        return new LearningRateSchedule(scheduleKind, learningRate, warmupSteps, steps, minLearningRate);
    }

    /** Returns the AdamW settings. */
    public AdamW.Builder optimizerBuilder() {
        return AdamW.builder().weightDecay(weightDecay);
    }

    /** Returns the decoupled weight decay of AdamW. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Returns the largest global gradient norm, or 0 for no clipping. */
    public double maxGradNorm() {
        return maxGradNorm;
    }

    /** Returns the sampling settings; the seed of each step's sampling is derived from {@link #seed()}. */
    public SamplingConfig sampling() {
        return sampling;
    }

    /** Returns the number of sequences per forward and backward pass of an update. */
    public int microBatchSize() {
        return microBatchSize;
    }

    /** Returns the number of sequences per generation or scoring pass. */
    public int forwardBatchSize() {
        return forwardBatchSize;
    }

    /** Returns the seed of the prompt order and of sampling. */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "ReinforceConfig[samplesPerPrompt=" + samplesPerPrompt + ", promptsPerStep=" + promptsPerStep
                + ", steps=" + steps + ", " + klPenalty + ", lr=" + learningRate + " (" + scheduleKind + ", warm-up "
                + warmupSteps + ", min " + minLearningRate + "), maxGradNorm=" + maxGradNorm + ", maxNewTokens="
                + sampling.maxNewTokens() + ", seed=" + seed + "]";
    }

    /** Collects the settings of a {@link ReinforceConfig} and validates each one. */
    public static final class Builder {

        private int samplesPerPrompt = DEFAULT_SAMPLES_PER_PROMPT;
        private int promptsPerStep = DEFAULT_PROMPTS_PER_STEP;
        private int steps = DEFAULT_STEPS;
        private KlPenalty klPenalty = KlPenalty.defaults();
        private LearningRateSchedule.Kind scheduleKind = LearningRateSchedule.Kind.COSINE;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double minLearningRate = Double.NaN;
        private int warmupSteps = DEFAULT_WARMUP_STEPS;
        private double weightDecay = AdamW.DEFAULT_WEIGHT_DECAY;
        private double maxGradNorm = DEFAULT_MAX_GRAD_NORM;
        private SamplingConfig sampling = SamplingConfig.builder().build();
        private int microBatchSize = DEFAULT_MICRO_BATCH_SIZE;
        private int forwardBatchSize = DEFAULT_FORWARD_BATCH_SIZE;
        private long seed;

        private Builder() {}

        /**
         * Sets the number of responses sampled for each prompt, which form one leave-one-out group.
         *
         * @param value at least 2; default 4
         * @return this builder
         * @throws IllegalArgumentException when the value is below 2, since a group of one sample
         *     has no other sample to serve as its baseline
         */
        public Builder samplesPerPrompt(int value) {
            RlooAdvantages.requireSamplesPerPrompt(value);
            this.samplesPerPrompt = value;
            return this;
        }

        /**
         * Sets the number of prompts of each step; the step samples
         * {@code promptsPerStep * samplesPerPrompt} responses.
         *
         * @param value at least 1; default 8
         * @return this builder
         */
        public Builder promptsPerStep(int value) {
            this.promptsPerStep = Checks.atLeast("promptsPerStep", value, 1);
            return this;
        }

        /**
         * Sets the number of steps; each step samples, scores and applies one update.
         *
         * @param value at least 1; default 100
         * @return this builder
         */
        public Builder steps(int value) {
            this.steps = Checks.atLeast("steps", value, 1);
            return this;
        }

        /**
         * Sets the KL penalty.
         *
         * @param value the penalty; default absolute k1, beta 0.01, in the reward
         * @return this builder
         */
        public Builder klPenalty(KlPenalty value) {
            this.klPenalty = Objects.requireNonNull(value, "klPenalty");
            return this;
        }

        /**
         * Sets the peak learning rate.
         *
         * @param value positive and finite; default 9e-7
         * @return this builder
         */
        public Builder learningRate(double value) {
            this.learningRate = Checks.positive("learningRate", value);
            return this;
        }

        /**
         * Sets the learning rate at the end of the cosine decay.
         *
         * @param value in [0, learningRate]; default learningRate / 10
         * @return this builder
         */
        public Builder minLearningRate(double value) {
            this.minLearningRate = Checks.nonNegative("minLearningRate", value);
            return this;
        }

        /**
         * Sets the number of steps of the linear warm-up.
         *
         * @param value at least 0; default 10
         * @return this builder
         */
        public Builder warmupSteps(int value) {
            this.warmupSteps = Checks.atLeast("warmupSteps", value, 0);
            return this;
        }

        /**
         * Sets the shape of the schedule after the warm-up.
         *
         * @param value constant or cosine; default cosine
         * @return this builder
         */
        public Builder scheduleKind(LearningRateSchedule.Kind value) {
            this.scheduleKind = Objects.requireNonNull(value, "scheduleKind");
            return this;
        }

        /**
         * Sets the decoupled weight decay of AdamW.
         *
         * @param value at least 0; default 0
         * @return this builder
         */
        public Builder weightDecay(double value) {
            this.weightDecay = Checks.nonNegative("weightDecay", value);
            return this;
        }

        /**
         * Sets the largest global gradient norm.
         *
         * @param value at least 0, where 0 turns clipping off; default 1.0
         * @return this builder
         */
        public Builder maxGradNorm(double value) {
            this.maxGradNorm = Checks.nonNegative("maxGradNorm", value);
            return this;
        }

        /**
         * Sets how responses are sampled. Its seed is ignored: each step samples with a seed
         * derived from {@link #seed(long)} and the step number.
         *
         * @param value the sampling settings; default temperature 1.0, top-k and top-p off, 64
         *     new tokens at most, stop at EOS
         * @return this builder
         */
        public Builder sampling(SamplingConfig value) {
            this.sampling = Objects.requireNonNull(value, "sampling");
            return this;
        }

        /**
         * Sets the number of sequences per forward and backward pass of an update. Their gradients
         * are accumulated, so the update equals one computed over the whole step at once.
         *
         * @param value at least 1; default 16
         * @return this builder
         */
        public Builder microBatchSize(int value) {
            this.microBatchSize = Checks.atLeast("microBatchSize", value, 1);
            return this;
        }

        /**
         * Sets the number of sequences per generation, log-probability or reward pass.
         *
         * @param value at least 1; default 16
         * @return this builder
         */
        public Builder forwardBatchSize(int value) {
            this.forwardBatchSize = Checks.atLeast("forwardBatchSize", value, 1);
            return this;
        }

        /**
         * Sets the seed of the prompt order and of sampling.
         *
         * @param value any value; default 0
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the config
         * @throws IllegalArgumentException when minLearningRate is above learningRate
         */
        public ReinforceConfig build() {
            return new ReinforceConfig(this);
        }
    }
}
