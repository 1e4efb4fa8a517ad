package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.LogProbs;
import org.rlhf4j.models.generate.ResponseBatch;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.llama.LlamaModel;

/**
 * Samples responses from the policy, scores them and records their log-probabilities under the
 * policy and the reference, in chunks of {@code forwardBatchSize} sequences.
 *
 * <p>The old log-probabilities are recomputed with a teacher-forced forward pass over the same
 * layout the updates use, rather than taken from the sampling pass, so the first PPO ratio is 1
 * up to float rounding. Chunk {@code c} of a call samples with seed {@code sampling.seed() + c}.
 */
final class RolloutCollector {

    private final LlamaModel policy;
    private final LlamaModel reference;
    private final CombinedReward reward;
    private final int forwardBatchSize;
    private final Generator generator;

    RolloutCollector(LlamaModel policy, LlamaModel reference, CombinedReward reward, int forwardBatchSize) {
        this.policy = policy;
        this.reference = reference;
        this.reward = reward;
        this.forwardBatchSize = forwardBatchSize;
        this.generator = new Generator(policy);
    }

    /**
     * Samples {@code samplesPerPrompt} responses to each prompt, scores them, and computes their
     * log-probabilities; no gradients are recorded.
     *
     * @param prompts the prompt ids
     * @param samplesPerPrompt responses per prompt, at least 1
     * @param sampling the sampling settings
     * @param step the training step, for error messages; 0 outside training
     * @return the rollout
     * @throws TrainingDivergedException when a reward is NaN or infinite
     */
    Rollout collect(List<int[]> prompts, int samplesPerPrompt, SamplingConfig sampling, long step) {
        List<int[]> repeated = new ArrayList<>(prompts.size() * samplesPerPrompt);
        for (int[] prompt : prompts) {
            for (int i = 0; i < samplesPerPrompt; i++) {
                repeated.add(prompt);
            }
        }
        List<GenerationResult> samples = new ArrayList<>(repeated.size());
        for (int from = 0, chunk = 0; from < repeated.size(); from += forwardBatchSize, chunk++) {
            List<int[]> part = repeated.subList(from, Math.min(repeated.size(), from + forwardBatchSize));
            samples.addAll(generator.generate(part, sampling.toBuilder().seed(sampling.seed() + chunk).build()));
        }
        RewardBreakdown rewards = reward.score(samples);
        for (int i = 0; i < samples.size(); i++) {
            TrainingDivergedException.requireFinite("reward of sample " + i, rewards.total()[i], step,
                    "Check the reward sources: each must return finite rewards.");
        }
        int[] groups = new int[prompts.size()];
        Arrays.fill(groups, samplesPerPrompt);
        return new Rollout(samples, rewards, logProbs(policy, samples), logProbs(reference, samples), groups);
    }

    private float[][] logProbs(LlamaModel model, List<GenerationResult> samples) {
        float[][] result = new float[samples.size()][];
        for (int from = 0; from < samples.size(); from += forwardBatchSize) {
            List<GenerationResult> chunk = samples.subList(from, Math.min(samples.size(), from + forwardBatchSize));
            float[][] part = LogProbs.forResults(model, chunk);
            System.arraycopy(part, 0, result, from, part.length);
        }
        return result;
    }

    /**
     * Measures a rollout: rewards, KL with the penalty's estimator, ended fraction and lengths.
     *
     * @param rollout the rollout
     * @param penalty the run's KL penalty
     * @param manager a manager for the temporary arrays, closed by the caller
     * @return the statistics
     */
    static RolloutStats measure(Rollout rollout, KlPenalty penalty, NDManager manager) {
        int[] rows = rollout.allRows();
        ResponseBatch batch = rollout.batch(rows);
        NDArray mask = batch.responseMaskArray(manager);
        int width = batch.responseColumns();
        NDArray kl = penalty.perToken(Rollout.tokenArray(manager, rollout.oldLogProbs(), rows, width),
                Rollout.tokenArray(manager, rollout.referenceLogProbs(), rows, width));
        return rollout.stats(penalty.measure(kl, mask));
    }
}
