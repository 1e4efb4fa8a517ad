package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.llama.LlamaModel;

/** Rollouts of the bundled stories260K model. */
class RolloutCollectorTest {

    @Test
    void truncatedSamplesKeepSampledTokens() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 2, 40);
        SamplingConfig fourTokens = SamplingConfig.builder().maxNewTokens(4).stopAtEos(false).seed(11).build();
        try (LlamaModel policy = BundledPolicy.policy(); LlamaModel reference = ModelCopies.copyOf(policy)) {
            CombinedReward reward = CombinedReward.of(new TokenFractionReward("words", Set.of(BundledPolicy.THE), 2));
            RolloutCollector collector = new RolloutCollector(policy, reference, reward, 3);

            Rollout rollout = collector.collect(prompts, 2, fourTokens, 1);

            assertThat(rollout.size()).isEqualTo(4);
            assertThat(rollout.groupSizes()).containsExactly(2, 2);
            for (int i = 0; i < rollout.size(); i++) {
                GenerationResult sample = rollout.samples().get(i);
                assertThat(sample.truncated()).isTrue();
                assertThat(sample.responseIds()).hasSize(4).doesNotContain(policy.config().eosTokenId());
                // The teacher-forced old log-probabilities equal those of the sampling pass, so the
                // experience record does not depend on which path produced it (case K05).
                assertThat(rollout.oldLogProbs()[i]).containsExactly(sample.logProbs(), within(1e-4f));
                // The reference is an exact copy of the policy, so both give the same values.
                assertThat(rollout.referenceLogProbs()[i]).containsExactly(rollout.oldLogProbs()[i], within(1e-6f));
            }
        }
    }

    @Test
    void samplesOfPromptStayTogether() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 3, 40);
        SamplingConfig short4 = SamplingConfig.builder().maxNewTokens(4).seed(2).build();
        try (LlamaModel policy = BundledPolicy.policy(); LlamaModel reference = ModelCopies.copyOf(policy)) {
            CombinedReward reward = CombinedReward.of(new TokenFractionReward("words", Set.of(BundledPolicy.THE), 2));

            Rollout rollout = new RolloutCollector(policy, reference, reward, 4).collect(prompts, 3, short4, 1);

            for (int i = 0; i < rollout.size(); i++) {
                assertThat(rollout.samples().get(i).promptIds()).containsExactly(prompts.get(i / 3));
            }
        }
    }

    @Test
    void measureUsesPenaltyEstimator() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 1, 40);
        SamplingConfig short4 = SamplingConfig.builder().maxNewTokens(4).stopAtEos(false).seed(2).build();
        try (LlamaModel policy = BundledPolicy.policy(); LlamaModel reference = ModelCopies.copyOf(policy)) {
            reference.parameters().get(LlamaModel.OUTPUT_NORM).muli(0.5f);
            CombinedReward reward = CombinedReward.of(new TokenFractionReward("words", Set.of(BundledPolicy.THE), 2));
            Rollout rollout = new RolloutCollector(policy, reference, reward, 4).collect(prompts, 2, short4, 1);
            KlPenalty penalty = new KlPenalty(KlEstimator.K1, 0.1, KlPenalty.Placement.REWARD);

            RolloutStats stats;
            try (NDManager scope = policy.manager().newSubManager()) {
                stats = RolloutCollector.measure(rollout, penalty, scope);
            }

            double sum = 0;
            for (int i = 0; i < rollout.size(); i++) {
                for (int t = 0; t < 4; t++) {
                    sum += KlEstimator.K1.perToken(rollout.oldLogProbs()[i][t], rollout.referenceLogProbs()[i][t]);
                }
            }
            assertThat(stats.kl().estimator()).isEqualTo(KlEstimator.K1);
            assertThat(stats.kl().perToken()).isCloseTo(sum / 8, within(1e-5));
            assertThat(stats.kl().perSequence()).isCloseTo(sum / 2, within(1e-4));
            assertThat(stats.endedFraction()).isZero();
            assertThat(stats.meanResponseLength()).isEqualTo(4.0);
        }
    }
}
