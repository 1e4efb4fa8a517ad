package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;
import org.rlhf4j.models.generate.ResponseBatch;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.llama.LlamaModel;

/**
 * The state both online trainers share: the policy, the frozen reference, the rewards, the KL
 * penalty and the sampling of rollouts.
 */
final class OnlineSession implements AutoCloseable {

    /** Advice given when the KL becomes NaN or infinite. */
    static final String KL_HINT = "Lower the learning rate or raise the KL coefficient.";
    /** Advice given when a loss or a gradient norm becomes NaN or infinite. */
    static final String LOWER_LEARNING_RATE = "Lower the learning rate or the maximum gradient norm.";

    private final LlamaModel policy;
    private final LlamaModel reference;
    private final boolean ownsReference;
    private final KlPenalty penalty;
    private final SamplingConfig sampling;
    private final long seed;
    private final RolloutCollector collector;

    /**
     * Creates the session.
     *
     * @param policy the policy to train
     * @param reference the frozen reference, or null to copy the policy now
     * @param reward the rewards
     * @param penalty the KL penalty
     * @param sampling the sampling settings
     * @param forwardBatchSize sequences per pass without gradients
     * @param seed the run's seed
     */
    OnlineSession(LlamaModel policy, LlamaModel reference, CombinedReward reward, KlPenalty penalty,
            SamplingConfig sampling, int forwardBatchSize, long seed) {
        if (reference != null && !reference.config().equals(policy.config())) {
            throw new IllegalArgumentException("the reference model's configuration " + reference.config()
                    + " differs from the policy's " + policy.config());
        }
        if (reference == policy) {
            throw new IllegalArgumentException("the reference must be a separate copy of the policy, since the policy"
                    + " changes during training; pass null to let the trainer copy it");
        }
        this.policy = policy;
        this.ownsReference = reference == null;
        this.reference = reference == null ? ModelCopies.copyOf(policy) : reference;
        this.reference.setRequiresGradient(false);
        this.penalty = penalty;
        this.sampling = sampling;
        this.seed = seed;
        this.collector = new RolloutCollector(policy, this.reference, reward, forwardBatchSize);
    }

    LlamaModel policy() {
        return policy;
    }

    LlamaModel reference() {
        return reference;
    }

    KlPenalty penalty() {
        return penalty;
    }

    /**
     * Checks that every prompt is non-empty and leaves room for at least one new token in the
     * policy's context.
     */
    void checkPrompts(List<int[]> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to train on");
        }
        int context = policy.config().contextLength();
        for (int i = 0; i < prompts.size(); i++) {
            int length = prompts.get(i).length;
            if (length == 0 || length >= context) {
                throw new IllegalArgumentException("prompt " + i + " has " + length + " tokens; a prompt needs 1 to "
                        + (context - 1) + " tokens to leave room for a response in the context of " + context);
            }
        }
    }

    /** Samples and scores a training rollout with the seed of {@code step}. */
    Rollout collect(List<int[]> prompts, int samplesPerPrompt, long step) {
        SamplingConfig stepSampling = sampling.toBuilder().seed(mix(seed, step)).build();
        return collector.collect(prompts, samplesPerPrompt, stepSampling, step);
    }

    /**
     * Computes the per-token KL of a rollout's samples with the penalty's estimator and measures it.
     *
     * @param rollout the rollout
     * @param scope the step's manager, which owns the arrays
     * @param step the training step, for the error message
     * @return the response mask, the per-token KL and its measurement, over all rows of the rollout
     * @throws TrainingDivergedException when the KL is NaN or infinite
     */
    RolloutKl klOf(Rollout rollout, NDManager scope, long step) {
        int[] rows = rollout.allRows();
        ResponseBatch batch = rollout.batch(rows);
        int width = batch.responseColumns();
        NDArray mask = batch.responseMaskArray(scope);
        NDArray kl = penalty.perToken(Rollout.tokenArray(scope, rollout.oldLogProbs(), rows, width),
                Rollout.tokenArray(scope, rollout.referenceLogProbs(), rows, width));
        KlMeasurement measured = penalty.measure(kl, mask);
        TrainingDivergedException.requireFinite("KL", measured.perSequence(), step, KL_HINT);
        return new RolloutKl(mask, kl, measured);
    }

    /**
     * The KL of a rollout.
     *
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @param perToken the penalty's per-token estimate from the sampling-time log-probabilities, shape [B, T]
     * @param measured the logged measurement of {@code perToken}
     */
    record RolloutKl(NDArray mask, NDArray perToken, KlMeasurement measured) {}

    /**
     * Samples responses with the current policy and measures them without training.
     *
     * @param prompts the prompts
     * @param samplesPerPrompt responses per prompt, at least 1
     * @param evaluationSeed the sampling seed
     * @return rewards, KL to the reference and response shape
     */
    RolloutStats evaluate(List<int[]> prompts, int samplesPerPrompt, long evaluationSeed) {
        checkPrompts(prompts);
        Checks.atLeast("samplesPerPrompt", samplesPerPrompt, 1);
        Rollout rollout = collector.collect(prompts, samplesPerPrompt,
                sampling.toBuilder().seed(evaluationSeed).build(), 0);
        try (NDManager scope = policy.manager().newSubManager()) {
            return RolloutCollector.measure(rollout, penalty, scope);
        }
    }

    /** Derives the sampling seed of a step from the run's seed. */
    static long mix(long seed, long step) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step).nextLong();
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    static String formatRate(double value) {
        return String.format(Locale.ROOT, "%.3e", value);
    }

    /** Formats the per-source means as {@code name=value} pairs, for the step log line. */
    static String formatSources(Map<String, Double> sourceMeans) {
        StringBuilder text = new StringBuilder();
        sourceMeans.forEach((name, mean) -> text.append(text.length() == 0 ? "" : " ").append(name).append('=')
                .append(format(mean)));
        return text.toString();
    }

    /** Closes the reference when the session copied it. */
    @Override
    public void close() {
        if (ownsReference) {
            reference.close();
        }
    }
}
