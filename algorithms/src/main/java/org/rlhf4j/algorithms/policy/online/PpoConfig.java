package org.rlhf4j.algorithms.policy.online;

import java.util.Objects;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.models.generate.SamplingConfig;

/**
 * Settings of a {@link PpoTrainer} run.
 *
 * <p>The defaults follow NeMo-Aligner's PPO configuration where it sets a value. The KL penalty is
 * absolute k1 with coefficient 0.01 in the reward. GAE uses gamma 1.0 and lambda 0.95, and the
 * advantages are whitened. The ratio clip and the value clip are 0.2, and there is no entropy
 * bonus. The actor learning rate is 9e-7 and the critic's 9e-6, with gradient clipping at 1.0.
 * Sampling runs at temperature 1.0 with top-k and top-p off. The number of optimisation epochs
 * per rollout batch (2) and the sizes that depend on the hardware are this library's choices.
 *
 * <p>Build one with {@link #builder()}; every setter checks its value.
 */
public final class PpoConfig {

    /** Default samples per prompt: 1. */
    public static final int DEFAULT_SAMPLES_PER_PROMPT = 1;
    /** Default prompts per step: 8. */
    public static final int DEFAULT_PROMPTS_PER_STEP = 8;
    /** Default number of steps: 100. */
    public static final int DEFAULT_STEPS = 100;
    /** Default optimisation epochs over each rollout batch: 2. */
    public static final int DEFAULT_EPOCHS = 2;
    /** Default peak learning rate of the policy: 9e-7. */
    public static final double DEFAULT_LEARNING_RATE = 9e-7;
    /** Default peak learning rate of the critic: 9e-6. */
    public static final double DEFAULT_CRITIC_LEARNING_RATE = 9e-6;
    /** Default warm-up updates: 10. */
    public static final int DEFAULT_WARMUP_STEPS = 10;
    /** Default largest global gradient norm of each model: 1.0. */
    public static final double DEFAULT_MAX_GRAD_NORM = 1.0;
    /** Default sequences per generation or scoring pass without gradients: 16. */
    public static final int DEFAULT_FORWARD_BATCH_SIZE = 16;

    private final int samplesPerPrompt;
    private final int promptsPerStep;
    private final int steps;
    private final int epochs;
    private final int miniBatchSize;
    private final KlPenalty klPenalty;
    private final double gamma;
    private final double lambda;
    private final boolean whitenAdvantages;
    private final double ratioClip;
    private final double valueClip;
    private final double entropyCoefficient;
    private final LearningRateSchedule.Kind scheduleKind;
    private final double learningRate;
    private final double criticLearningRate;
    private final int warmupSteps;
    private final double weightDecay;
    private final double maxGradNorm;
    private final SamplingConfig sampling;
    private final int forwardBatchSize;
    private final long seed;

    private PpoConfig(Builder builder) {
        this.samplesPerPrompt = builder.samplesPerPrompt;
        this.promptsPerStep = builder.promptsPerStep;
        this.steps = builder.steps;
        this.epochs = builder.epochs;
        this.miniBatchSize = builder.miniBatchSize;
        this.klPenalty = builder.klPenalty;
        this.gamma = builder.gamma;
        this.lambda = builder.lambda;
        this.whitenAdvantages = builder.whitenAdvantages;
        this.ratioClip = builder.ratioClip;
        this.valueClip = builder.valueClip;
        this.entropyCoefficient = builder.entropyCoefficient;
        this.scheduleKind = builder.scheduleKind;
        this.learningRate = builder.learningRate;
        this.criticLearningRate = builder.criticLearningRate;
        this.warmupSteps = builder.warmupSteps;
        this.weightDecay = builder.weightDecay;
        this.maxGradNorm = builder.maxGradNorm;
        this.sampling = builder.sampling;
        this.forwardBatchSize = builder.forwardBatchSize;
        this.seed = builder.seed;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the number of responses sampled for each prompt. */
    public int samplesPerPrompt() {
        return samplesPerPrompt;
    }

    /** Returns the number of prompts of each step. */
    public int promptsPerStep() {
        return promptsPerStep;
    }

    /** Returns the number of steps (rollout, then the updates) of the run. */
    public int steps() {
        return steps;
    }

    /** Returns the number of optimisation epochs over each rollout batch. */
    public int epochs() {
        return epochs;
    }

    /** Returns the number of sequences per update, or 0 for the whole rollout batch. */
    public int miniBatchSize() {
        return miniBatchSize;
    }

    /** Returns the number of sequences each step samples. */
    public int rolloutSize() {
        return promptsPerStep * samplesPerPrompt;
    }

    /** Returns the number of sequences per update. */
    public int effectiveMiniBatchSize() {
        return miniBatchSize == 0 ? rolloutSize() : Math.min(miniBatchSize, rolloutSize());
    }

    /** Returns the number of optimizer updates of each step: epochs times the mini-batches of a rollout. */
    public int updatesPerStep() {
        int miniBatches = (rolloutSize() + effectiveMiniBatchSize() - 1) / effectiveMiniBatchSize();
        return epochs * miniBatches;
    }

    /** Returns the KL penalty. */
    public KlPenalty klPenalty() {
        return klPenalty;
    }

    /** Returns the discount factor. */
    public double gamma() {
        return gamma;
    }

    /** Returns the GAE lambda. */
    public double lambda() {
        return lambda;
    }

    /** Tells whether advantages are whitened over the valid tokens of each rollout batch. */
    public boolean whitenAdvantages() {
        return whitenAdvantages;
    }

    /** Returns the clipping range of the probability ratio. */
    public double ratioClip() {
        return ratioClip;
    }

    /** Returns the clipping range of the value prediction around the old value. */
    public double valueClip() {
        return valueClip;
    }

    /** Returns the coefficient of the entropy bonus subtracted from the policy loss. */
    public double entropyCoefficient() {
        return entropyCoefficient;
    }

    /** Returns the peak learning rate of the policy. */
    public double learningRate() {
        return learningRate;
    }

    /** Returns the peak learning rate of the critic. */
    public double criticLearningRate() {
        return criticLearningRate;
    }

    /** Returns the number of warm-up updates. */
    public int warmupSteps() {
        return warmupSteps;
    }

    /** Returns the shape of the schedules after the warm-up. */
    public LearningRateSchedule.Kind scheduleKind() {
        return scheduleKind;
    }

    /**
     * Returns the policy's learning-rate schedule over the run's optimizer updates
     * ({@code steps * updatesPerStep}); a cosine decay ends at a tenth of the peak.
     */
    public LearningRateSchedule policySchedule() {
        return schedule(learningRate);
    }

    /** Returns the critic's learning-rate schedule, shaped like {@link #policySchedule()}. */
    public LearningRateSchedule criticSchedule() {
        return schedule(criticLearningRate);
    }

    private LearningRateSchedule schedule(double peak) {
        return new LearningRateSchedule(scheduleKind, peak, warmupSteps, (long) steps * updatesPerStep(), peak / 10);
    }

    /** Returns the AdamW settings of both models. */
    public AdamW.Builder optimizerBuilder() {
        return AdamW.builder().weightDecay(weightDecay);
    }

    /** Returns the decoupled weight decay of AdamW. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Returns the largest global gradient norm of each model, or 0 for no clipping. */
    public double maxGradNorm() {
        return maxGradNorm;
    }

    /** Returns the sampling settings; the seed of each step's sampling is derived from {@link #seed()}. */
    public SamplingConfig sampling() {
        return sampling;
    }

    /** Returns the number of sequences per generation or scoring pass. */
    public int forwardBatchSize() {
        return forwardBatchSize;
    }

    /** Returns the seed of the prompt order, of sampling and of the mini-batch order. */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "PpoConfig[samplesPerPrompt=" + samplesPerPrompt + ", promptsPerStep=" + promptsPerStep + ", steps="
                + steps + ", epochs=" + epochs + ", miniBatchSize=" + effectiveMiniBatchSize() + ", " + klPenalty
                + ", gamma=" + gamma + ", lambda=" + lambda + ", whiten=" + whitenAdvantages + ", ratioClip="
                + ratioClip + ", valueClip=" + valueClip + ", entropy=" + entropyCoefficient + ", lr=" + learningRate
                + ", criticLr=" + criticLearningRate + ", maxNewTokens=" + sampling.maxNewTokens() + ", seed=" + seed
                + "]";
    }

    /** Collects the settings of a {@link PpoConfig} and validates each one. */
    public static final class Builder {

        private int samplesPerPrompt = DEFAULT_SAMPLES_PER_PROMPT;
        private int promptsPerStep = DEFAULT_PROMPTS_PER_STEP;
        private int steps = DEFAULT_STEPS;
        private int epochs = DEFAULT_EPOCHS;
        private int miniBatchSize;
        private KlPenalty klPenalty = KlPenalty.defaults();
        private double gamma = Gae.DEFAULT_GAMMA;
        private double lambda = Gae.DEFAULT_LAMBDA;
        private boolean whitenAdvantages = true;
        private double ratioClip = PpoLosses.DEFAULT_RATIO_CLIP;
        private double valueClip = PpoLosses.DEFAULT_VALUE_CLIP;
        private double entropyCoefficient;
        private LearningRateSchedule.Kind scheduleKind = LearningRateSchedule.Kind.COSINE;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double criticLearningRate = DEFAULT_CRITIC_LEARNING_RATE;
        private int warmupSteps = DEFAULT_WARMUP_STEPS;
        private double weightDecay = AdamW.DEFAULT_WEIGHT_DECAY;
        private double maxGradNorm = DEFAULT_MAX_GRAD_NORM;
        private SamplingConfig sampling = SamplingConfig.builder().build();
        private int forwardBatchSize = DEFAULT_FORWARD_BATCH_SIZE;
        private long seed;

        private Builder() {}

        /**
         * Sets the number of responses sampled for each prompt.
         *
         * @param value at least 1; default 1
         * @return this builder
         */
        public Builder samplesPerPrompt(int value) {
            this.samplesPerPrompt = Checks.atLeast("samplesPerPrompt", value, 1);
            return this;
        }

        /**
         * Sets the number of prompts of each step.
         *
         * @param value at least 1; default 8
         * @return this builder
         */
        public Builder promptsPerStep(int value) {
            this.promptsPerStep = Checks.atLeast("promptsPerStep", value, 1);
            return this;
        }

        /**
         * Sets the number of steps; each step samples and scores one rollout batch and then
         * updates both models {@link PpoConfig#updatesPerStep()} times.
         *
         * @param value at least 1; default 100
         * @return this builder
         */
        public Builder steps(int value) {
            this.steps = Checks.atLeast("steps", value, 1);
            return this;
        }

        /**
         * Sets the number of optimisation epochs over each rollout batch.
         *
         * @param value at least 1; default 2
         * @return this builder
         */
        public Builder epochs(int value) {
            this.epochs = Checks.atLeast("epochs", value, 1);
            return this;
        }

        /**
         * Sets the number of sequences per update; the rollout batch is shuffled and split into
         * mini-batches of this size in every epoch.
         *
         * @param value at least 0, where 0 means the whole rollout batch; default 0
         * @return this builder
         */
        public Builder miniBatchSize(int value) {
            this.miniBatchSize = Checks.atLeast("miniBatchSize", value, 0);
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
         * Sets the discount factor of GAE.
         *
         * @param value in [0, 1]; default 1.0
         * @return this builder
         */
        public Builder gamma(double value) {
            this.gamma = Checks.unitInterval("gamma", value);
            return this;
        }

        /**
         * Sets the GAE lambda.
         *
         * @param value in [0, 1]; default 0.95
         * @return this builder
         */
        public Builder lambda(double value) {
            this.lambda = Checks.unitInterval("lambda", value);
            return this;
        }

        /**
         * Sets whether advantages are whitened over the valid tokens of each rollout batch.
         *
         * @param value default true
         * @return this builder
         */
        public Builder whitenAdvantages(boolean value) {
            this.whitenAdvantages = value;
            return this;
        }

        /**
         * Sets the clipping range of the probability ratio.
         *
         * @param value positive; default 0.2
         * @return this builder
         */
        public Builder ratioClip(double value) {
            this.ratioClip = Checks.positive("ratioClip", value);
            return this;
        }

        /**
         * Sets the clipping range of the value prediction around the old value.
         *
         * @param value positive; default 0.2
         * @return this builder
         */
        public Builder valueClip(double value) {
            this.valueClip = Checks.positive("valueClip", value);
            return this;
        }

        /**
         * Sets the coefficient of the entropy bonus, which is subtracted from the policy loss.
         *
         * @param value at least 0; default 0 (off)
         * @return this builder
         */
        public Builder entropyCoefficient(double value) {
            this.entropyCoefficient = Checks.nonNegative("entropyCoefficient", value);
            return this;
        }

        /**
         * Sets the peak learning rate of the policy.
         *
         * @param value positive and finite; default 9e-7
         * @return this builder
         */
        public Builder learningRate(double value) {
            this.learningRate = Checks.positive("learningRate", value);
            return this;
        }

        /**
         * Sets the peak learning rate of the critic.
         *
         * @param value positive and finite; default 9e-6
         * @return this builder
         */
        public Builder criticLearningRate(double value) {
            this.criticLearningRate = Checks.positive("criticLearningRate", value);
            return this;
        }

        /**
         * Sets the number of updates of the linear warm-up of both schedules.
         *
         * @param value at least 0; default 10
         * @return this builder
         */
        public Builder warmupSteps(int value) {
            this.warmupSteps = Checks.atLeast("warmupSteps", value, 0);
            return this;
        }

        /**
         * Sets the shape of both schedules after the warm-up.
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
         * Sets the largest global gradient norm of each model.
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
         * Sets the number of sequences per generation, log-probability, value or reward pass.
         *
         * @param value at least 1; default 16
         * @return this builder
         */
        public Builder forwardBatchSize(int value) {
            this.forwardBatchSize = Checks.atLeast("forwardBatchSize", value, 1);
            return this;
        }

        /**
         * Sets the seed of the prompt order, of sampling and of the mini-batch order.
         *
         * @param value any value; default 0
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Builds the config. */
        public PpoConfig build() {
            return new PpoConfig(this);
        }
    }
}
