package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.reward.LlamaRewardModel;

/** Short PPO runs and critic checks on the bundled stories260K model. */
class PpoTrainerTest {

    private static PpoConfig.Builder config() {
        return PpoConfig.builder().samplesPerPrompt(2).promptsPerStep(2).steps(1).epochs(1).learningRate(1e-3)
                .criticLearningRate(1e-3).warmupSteps(0).scheduleKind(LearningRateSchedule.Kind.CONSTANT)
                .sampling(SamplingConfig.builder().maxNewTokens(8).eosTokenId(BundledPolicy.PERIOD).build())
                .seed(4);
    }

    private static CombinedReward reward() {
        return CombinedReward.of(new TokenFractionReward("words", Set.of(BundledPolicy.THE), BundledPolicy.PERIOD));
    }

    @Test
    void criticStartsAtRewardModelScore() throws IOException {
        try (LlamaRewardModel rewardModel = BundledPolicy.rewardModel(7);
                ValueModel critic = ValueModel.fromRewardModel(rewardModel);
                NDManager scope = critic.manager().newSubManager()) {
            NDArray ids = scope.create(new long[] {1, 300, 301, 302, 2, 0, 1, 310, 2, 0, 0, 0}, new Shape(2, 6));
            NDArray mask = scope.create(new long[] {1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0}, new Shape(2, 6));

            float[] scores = rewardModel.reward(ids, mask).toFloatArray();
            float[] values = critic.values(ids, mask).toFloatArray();

            assertThat(values[4]).isCloseTo(scores[0], within(1e-5f));
            assertThat(values[6 + 2]).isCloseTo(scores[1], within(1e-5f));
            assertThat(critic.parameters()).containsKeys(ValueModel.HEAD_WEIGHT, ValueModel.HEAD_BIAS);
        }
    }

    @Test
    void criticIsIndependentCopy() throws IOException {
        try (LlamaRewardModel rewardModel = BundledPolicy.rewardModel(7);
                ValueModel critic = ValueModel.fromRewardModel(rewardModel)) {
            double[] before = ReinforceTrainerTest.sums(rewardModel.parameters());

            critic.parameters().get(ValueModel.HEAD_WEIGHT).muli(0f);
            critic.parameters().get(LlamaModel.TOKEN_EMBEDDING).muli(0f);

            assertThat(ReinforceTrainerTest.sums(rewardModel.parameters())).containsExactly(before);
        }
    }

    @Test
    void firstUpdateSeesRatioOne() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 2, 40);
        try (LlamaModel policy = BundledPolicy.policy(); LlamaRewardModel rewardModel = BundledPolicy.rewardModel(7);
                ValueModel critic = ValueModel.fromRewardModel(rewardModel);
                PpoTrainer trainer = new PpoTrainer(policy, critic, reward(), config().build())) {
            PpoStepMetrics step = trainer.train(prompts).get(0);

            // Old log-probabilities and values come from the same weights, so nothing is clipped yet.
            assertThat(step.policyClipFraction()).isZero();
            assertThat(step.valueClipFraction()).isZero();
            assertThat(step.valueLoss()).isPositive();
            assertThat(step.gradNorm()).isPositive();
            assertThat(step.criticGradNorm()).isPositive();
        }
    }

    @Test
    void epochsUpdateBothModelsAndLeaveNoArrays() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 4, 40);
        try (LlamaModel policy = BundledPolicy.policy(); LlamaRewardModel rewardModel = BundledPolicy.rewardModel(7);
                ValueModel critic = ValueModel.fromRewardModel(rewardModel)) {
            int policyArrays = policy.manager().getManagedArrays().size();
            int criticArrays = critic.manager().getManagedArrays().size();
            double[] criticBefore = ReinforceTrainerTest.sums(critic.parameters());
            double[] policyBefore = ReinforceTrainerTest.sums(policy.parameters());
            List<Integer> counts = new ArrayList<>();
            PpoConfig settings = config().steps(3).epochs(2).miniBatchSize(2).entropyCoefficient(0.01).build();
            try (PpoTrainer trainer = new PpoTrainer(policy, critic, reward(), settings)) {
                trainer.addListener(metrics -> counts.add(policy.manager().getManagedArrays().size()
                        + critic.manager().getManagedArrays().size()));
                List<PpoStepMetrics> steps = trainer.train(prompts);

                assertThat(trainer.policyOptimizer().stepCount()).isEqualTo(3L * settings.updatesPerStep());
                assertThat(trainer.criticOptimizer().stepCount()).isEqualTo(3L * settings.updatesPerStep());
                assertThat(steps.get(0).entropy()).isPositive();
            }

            assertThat(ReinforceTrainerTest.sums(critic.parameters())).isNotEqualTo(criticBefore);
            assertThat(ReinforceTrainerTest.sums(policy.parameters())).isNotEqualTo(policyBefore);
            assertThat(counts.get(2)).isEqualTo(counts.get(0));
            assertThat(policy.manager().getManagedArrays()).hasSize(policyArrays);
            assertThat(critic.manager().getManagedArrays()).hasSize(criticArrays);
        }
    }

    @Test
    void nanKlStopsBeforeUpdate() throws IOException {
        List<int[]> prompts = BundledPolicy.prompts(0, 2, 40);
        try (LlamaModel policy = BundledPolicy.policy(); LlamaModel reference = ModelCopies.copyOf(policy);
                LlamaRewardModel rewardModel = BundledPolicy.rewardModel(7);
                ValueModel critic = ValueModel.fromRewardModel(rewardModel)) {
            reference.parameters().get(LlamaModel.OUTPUT_NORM).muli(Float.NaN);
            try (PpoTrainer trainer = new PpoTrainer(policy, reference, critic, reward(), config().build())) {
                assertThatThrownBy(() -> trainer.train(prompts))
                        .isInstanceOf(TrainingDivergedException.class)
                        .hasMessageContaining("KL is NaN at step 1");
                assertThat(trainer.policyOptimizer().stepCount()).isZero();
            }
        }
    }

    @Test
    void referenceMustDifferFromPolicy() throws IOException {
        try (LlamaModel policy = BundledPolicy.policy(); LlamaRewardModel rewardModel = BundledPolicy.rewardModel(7);
                ValueModel critic = ValueModel.fromRewardModel(rewardModel)) {
            assertThatThrownBy(() -> new PpoTrainer(policy, policy, critic, reward(), config().build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("separate copy");
        }
    }
}
