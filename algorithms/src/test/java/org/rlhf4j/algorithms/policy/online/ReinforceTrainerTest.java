package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.llama.LlamaModel;

/** Short REINFORCE runs on the bundled stories260K model. */
class ReinforceTrainerTest {

    /**
     * Responses end at the first "." or after 32 tokens. With seed 1 both steps have a prompt whose
     * samples differ in reward and include two that ended, so both steps update the policy.
     */
    private static ReinforceConfig.Builder config() {
        return ReinforceConfig.builder().samplesPerPrompt(4).promptsPerStep(2).steps(2).learningRate(1e-3)
                .warmupSteps(0).scheduleKind(LearningRateSchedule.Kind.CONSTANT)
                .sampling(SamplingConfig.builder().maxNewTokens(32).eosTokenId(BundledPolicy.PERIOD).build())
                .seed(1);
    }

    /** Six tokens, never ended; with the KL in the loss every step still updates the policy. */
    private static ReinforceConfig.Builder shortConfig() {
        return config().sampling(SamplingConfig.builder().maxNewTokens(6).stopAtEos(false).build())
                .klPenalty(new KlPenalty(KlEstimator.K3, 0.1, KlPenalty.Placement.LOSS));
    }

    private static CombinedReward reward() {
        return CombinedReward.of(new TokenFractionReward("words", Set.of(BundledPolicy.THE), BundledPolicy.PERIOD));
    }

    /** Returns the sum of absolute values of each parameter, read on the host so no array is created. */
    static double[] sums(Map<String, NDArray> parameters) {
        return parameters.values().stream().mapToDouble(ReinforceTrainerTest::absoluteSum).toArray();
    }

    private static double absoluteSum(NDArray array) {
        double sum = 0;
        for (float value : array.toFloatArray()) {
            sum += Math.abs(value);
        }
        return sum;
    }

    @Test
    void updatesPolicyButNotReference() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 4, 40);
        try (LlamaModel policy = BundledPolicy.policy();
                ReinforceTrainer trainer = new ReinforceTrainer(policy, reward(), config().build())) {
            double[] policyBefore = sums(policy.parameters());
            double[] referenceBefore = sums(trainer.reference().parameters());

            List<ReinforceStepMetrics> steps = trainer.train(prompts);

            assertThat(steps).extracting(ReinforceStepMetrics::updated).contains(true);
            assertThat(sums(policy.parameters())).isNotEqualTo(policyBefore);
            assertThat(sums(trainer.reference().parameters())).containsExactly(referenceBefore);
            assertThat(trainer.completedSteps()).isEqualTo(2);
        }
    }

    @Test
    void stepsLeaveNoArraysBehind() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 4, 40);
        try (LlamaModel policy = BundledPolicy.policy()) {
            int before = policy.manager().getManagedArrays().size();
            List<Integer> counts = new ArrayList<>();
            try (ReinforceTrainer trainer = new ReinforceTrainer(policy, reward(), shortConfig().steps(3).build())) {
                trainer.addListener(metrics -> counts.add(policy.manager().getManagedArrays().size()));
                trainer.train(prompts);
            }

            assertThat(counts).hasSize(3);
            assertThat(counts.get(2)).isEqualTo(counts.get(0));
            assertThat(policy.manager().getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void microBatchesMatchFullBatch() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 4, 40);
        try (LlamaModel first = BundledPolicy.policy(); LlamaModel second = BundledPolicy.policy();
                ReinforceTrainer micro = new ReinforceTrainer(first, reward(),
                        config().steps(1).microBatchSize(3).build());
                ReinforceTrainer full = new ReinforceTrainer(second, reward(),
                        config().steps(1).microBatchSize(8).build())) {
            ReinforceStepMetrics microStep = micro.train(prompts).get(0);
            ReinforceStepMetrics fullStep = full.train(prompts).get(0);

            assertThat(microStep.updated()).isTrue();
            assertThat(microStep.loss()).isCloseTo(fullStep.loss(), within(1e-6));
            assertThat(microStep.gradNorm()).isCloseTo(fullStep.gradNorm(), within(1e-5 * fullStep.gradNorm()));
        }
    }

    @Test
    void noEndedSampleSkipsUpdate() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 2, 40);
        SamplingConfig neverEnds = SamplingConfig.builder().maxNewTokens(6).stopAtEos(false).build();
        try (LlamaModel policy = BundledPolicy.policy();
                ReinforceTrainer trainer = new ReinforceTrainer(policy, reward(),
                        config().steps(1).sampling(neverEnds).build())) {
            double[] before = sums(policy.parameters());

            ReinforceStepMetrics step = trainer.train(prompts).get(0);

            assertThat(step.updated()).isFalse();
            assertThat(step.rollout().endedFraction()).isZero();
            assertThat(step.meanAdvantage()).isZero();
            assertThat(sums(policy.parameters())).containsExactly(before);
        }
    }

    @Test
    void klInLossUpdatesWithoutEndedSamples() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 2, 40);
        try (LlamaModel policy = BundledPolicy.policy();
                ReinforceTrainer trainer = new ReinforceTrainer(policy, reward(), shortConfig().steps(2).build())) {
            List<ReinforceStepMetrics> steps = trainer.train(prompts);

            assertThat(steps).extracting(ReinforceStepMetrics::updated).containsExactly(true, true);
            assertThat(steps.get(0).rollout().kl().estimator()).isEqualTo(KlEstimator.K3);
            assertThat(steps.get(0).rollout().kl().perToken()).isEqualTo(0.0);
        }
    }

    @Test
    void nanRewardStopsAtItsStep() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 2, 40);
        RewardSource failsSecondCall = new RewardSource() {
            private int calls;

            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public double[] score(List<GenerationResult> samples) {
                double value = ++calls == 2 ? Double.NaN : 1.0;
                return samples.stream().mapToDouble(sample -> value).toArray();
            }
        };
        try (LlamaModel policy = BundledPolicy.policy();
                ReinforceTrainer trainer = new ReinforceTrainer(policy, CombinedReward.of(failsSecondCall),
                        shortConfig().steps(3).build())) {
            assertThatThrownBy(() -> trainer.train(prompts))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("reward of sample 0 is NaN at step 2");
            assertThat(trainer.completedSteps()).isEqualTo(1);
        }
    }

    @Test
    void nanKlStopsFirstStep() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 2, 40);
        try (LlamaModel policy = BundledPolicy.policy(); LlamaModel reference = ModelCopies.copyOf(policy)) {
            reference.parameters().get(LlamaModel.OUTPUT_NORM).muli(Float.NaN);
            try (ReinforceTrainer trainer = new ReinforceTrainer(policy, reference, reward(),
                    shortConfig().build())) {
                double[] before = sums(policy.parameters());

                assertThatThrownBy(() -> trainer.train(prompts))
                        .isInstanceOf(TrainingDivergedException.class)
                        .hasMessageContaining("KL is NaN at step 1");
                assertThat(sums(policy.parameters())).containsExactly(before);
            }
        }
    }

    @Test
    void promptFillingContextRejected() throws IOException {
        try (LlamaModel policy = BundledPolicy.policy();
                ReinforceTrainer trainer = new ReinforceTrainer(policy, reward(), config().build())) {
            int[] tooLong = new int[policy.config().contextLength()];
            tooLong[0] = 1;

            assertThatThrownBy(() -> trainer.train(List.of(tooLong)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prompt 0 has " + tooLong.length + " tokens");
        }
    }
}
