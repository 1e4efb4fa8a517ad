package org.rlhf4j.algorithms.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.eval.PairwiseEvaluator;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.algorithms.toy.ToyData;
import org.rlhf4j.algorithms.toy.ToyRewardModel;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.algorithms.toy.SoftplusBtLoss;

class RewardTrainerTest {

    private static RewardTrainerConfig.Builder toyConfig() {
        return RewardTrainerConfig.builder()
                .learningRate(0.05)
                .warmupSteps(0)
                .globalBatchPairs(16)
                .microBatchPairs(4)
                .maxGradNorm(1.0)
                .seed(1)
                .logEvery(10);
    }

    private static TrainingResult train(ToyRewardModel model, RewardTrainerConfig config, List<EncodedPair> pairs,
            TrainingListener... listeners) {
        try (RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), config)) {
            for (TrainingListener listener : listeners) {
                trainer.addListener(listener);
            }
            return trainer.train(pairs);
        }
    }

    private static void assertSameParameters(
            Map<String, float[]> actual, Map<String, float[]> expected, float tolerance) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            float[] a = actual.get(name);
            float[] e = expected.get(name);
            for (int i = 0; i < e.length; i++) {
                assertThat(a[i]).as("%s[%d]", name, i).isCloseTo(e[i], within(tolerance));
            }
        }
    }

    @Test
    void lossFallsOnSeparableData() {
        List<EncodedPair> pairs = ToyData.encoded(64, 5);
        try (ToyRewardModel model = ToyData.model(2)) {
            TrainingResult result = train(model, toyConfig().epochs(10).build(), pairs);

            assertThat(result.steps()).isEqualTo(40);
            assertThat(result.firstLoss()).isGreaterThan(0.3);
            assertThat(result.lastLoss()).isLessThan(result.firstLoss() / 4);
        }
    }

    @Test
    void trainingAccuracyRisesOnSeparableData() {
        List<EncodedPair> pairs = ToyData.encoded(64, 5);
        try (ToyRewardModel model = ToyData.model(2)) {
            TrainingResult result = train(model, toyConfig().epochs(10).build(), pairs);

            double firstEpoch = result.accuracies().subList(0, 4).stream().mapToDouble(Double::doubleValue).average()
                    .orElseThrow();
            double lastEpoch = result.accuracies().subList(36, 40).stream().mapToDouble(Double::doubleValue).average()
                    .orElseThrow();
            assertThat(lastEpoch).isGreaterThan(firstEpoch);
            assertThat(lastEpoch).isEqualTo(1.0);
        }
    }

    @Test
    void firstStepLossIsMeanLoss() {
        // One step covers all 16 pairs, so its accumulated loss is the mean BT loss before the update.
        List<EncodedPair> pairs = ToyData.encoded(16, 8);
        try (ToyRewardModel model = ToyData.model(4)) {
            PairwiseReport before = new PairwiseEvaluator(model, 16, PaddingSide.RIGHT, 0).evaluate(pairs);
            double expectedLoss = 0;
            for (int i = 0; i < pairs.size(); i++) {
                double gap = before.chosenScores()[i] - before.rejectedScores()[i];
                expectedLoss += Math.log1p(Math.exp(-gap)) / pairs.size();
            }

            TrainingResult result = train(model, toyConfig().maxSteps(1).build(), pairs);

            assertThat(result.firstLoss()).isCloseTo(expectedLoss, within(1e-5));
            assertThat(result.accuracies().get(0)).isEqualTo(before.accuracy());
        }
    }

    @Test
    void accumulationMatchesFullBatch() {
        List<EncodedPair> pairs = ToyData.encoded(16, 3);
        try (ToyRewardModel accumulated = ToyData.model(7); ToyRewardModel fullBatch = ToyData.model(7)) {
            TrainingResult micro = train(accumulated, toyConfig().globalBatchPairs(16).microBatchPairs(4).maxSteps(1)
                    .build(), pairs);
            TrainingResult full = train(fullBatch, toyConfig().globalBatchPairs(16).microBatchPairs(16).maxSteps(1)
                    .build(), pairs);

            assertThat(micro.firstLoss()).isCloseTo(full.firstLoss(), within(1e-6));
            assertSameParameters(accumulated.snapshot(), fullBatch.snapshot(), 1e-6f);
        }
    }

    @Test
    void sameSeedGivesIdenticalParameters() {
        List<EncodedPair> pairs = ToyData.encoded(48, 9);
        try (ToyRewardModel first = ToyData.model(11); ToyRewardModel second = ToyData.model(11)) {
            train(first, toyConfig().epochs(3).seed(123).build(), pairs);
            train(second, toyConfig().epochs(3).seed(123).build(), pairs);

            Map<String, float[]> a = first.snapshot();
            Map<String, float[]> b = second.snapshot();
            for (String name : a.keySet()) {
                assertThat(b.get(name)).as(name).containsExactly(a.get(name));
            }
        }
    }

    @Test
    void otherSeedGivesOtherParameters() {
        List<EncodedPair> pairs = ToyData.encoded(48, 9);
        try (ToyRewardModel first = ToyData.model(11); ToyRewardModel second = ToyData.model(11)) {
            train(first, toyConfig().epochs(3).seed(123).build(), pairs);
            train(second, toyConfig().epochs(3).seed(124).build(), pairs);

            assertThat(second.snapshot().get("embedding")).isNotEqualTo(first.snapshot().get("embedding"));
        }
    }

    @Test
    void attachedArrayCountIsStableAcrossEpochs() {
        // Arrays attached to the model's manager (optimizer state included) after epoch 1 and 10.
        // The counts must be equal, so that no array leaks from step to step.
        List<EncodedPair> pairs = ToyData.encoded(80, 12);
        try (ToyRewardModel model = ToyData.model(13)) {
            List<Integer> counts = new ArrayList<>();
            TrainingListener recorder = new TrainingListener() {
                @Override
                public void onStep(StepMetrics metrics) {}

                @Override
                public void onEpochEnd(int epoch, long step) {
                    counts.add(model.attachedArrays());
                }
            };

            train(model, toyConfig().epochs(10).build(), pairs, recorder);

            assertThat(counts).hasSize(10);
            assertThat(counts.get(9)).isEqualTo(counts.get(0));
            // Two parameters, plus two moments for each of them.
            assertThat(counts.get(0)).isEqualTo(2 + 2 * 2);
        }
    }

    @Test
    void fiftyTrainersLeaveNoArraysOnModel() {
        List<EncodedPair> pairs = ToyData.encoded(16, 14);
        try (ToyRewardModel model = ToyData.model(15)) {
            int before = model.attachedArrays();

            for (int i = 0; i < 50; i++) {
                train(model, toyConfig().maxSteps(1).logEvery(100).build(), pairs);
            }

            assertThat(model.attachedArrays()).isEqualTo(before);
        }
    }

    @Test
    void resumedRunMatchesStraightRun() {
        // Warm-up of 10 steps to 1e-3: a run stopped after 5 steps must resume at lr 6e-4,
        // not restart the warm-up at 1e-4.
        List<EncodedPair> pairs = ToyData.encoded(64, 16);
        RewardTrainerConfig.Builder config = toyConfig().learningRate(1e-3).warmupSteps(10);
        try (ToyRewardModel straight = ToyData.model(17); ToyRewardModel resumed = ToyData.model(17);
                NDManager saved = NDManager.newBaseManager(Device.cpu())) {
            train(straight, config.maxSteps(10).build(), pairs);

            Map<String, NDArray> state = new LinkedHashMap<>();
            long steps;
            try (RewardTrainer firstHalf =
                    new RewardTrainer(resumed, new SoftplusBtLoss(), config.maxSteps(5).build())) {
                firstHalf.train(pairs);
                firstHalf.optimizer().state().forEach((name, array) ->
                        state.put(name, saved.create(array.toFloatArray(), array.getShape())));
                steps = firstHalf.completedSteps();
            }
            List<StepMetrics> resumedSteps = new ArrayList<>();
            try (RewardTrainer secondHalf =
                    new RewardTrainer(resumed, new SoftplusBtLoss(), config.maxSteps(10).build())) {
                secondHalf.optimizer().loadState(state, steps);
                secondHalf.addListener(resumedSteps::add);
                secondHalf.train(pairs);
            }

            assertThat(resumedSteps.get(0).step()).isEqualTo(6);
            assertThat(resumedSteps.get(0).learningRate()).isCloseTo(6e-4, within(1e-15));
            assertThat(resumedSteps).hasSize(5);
            Map<String, float[]> expected = straight.snapshot();
            Map<String, float[]> actual = resumed.snapshot();
            for (String name : expected.keySet()) {
                assertThat(actual.get(name)).as(name).containsExactly(expected.get(name));
            }
        }
    }

    @Test
    void partialStepsCoverEveryPairOncePerEpoch() {
        // 10 pairs in micro batches of 4, 4 and 2, two micro batches per step: 2 steps per epoch.
        List<EncodedPair> pairs = ToyData.encoded(10, 18);
        List<StepMetrics> steps = new ArrayList<>();
        try (ToyRewardModel model = ToyData.model(19)) {
            TrainingResult result = train(model, toyConfig().globalBatchPairs(8).microBatchPairs(4).epochs(2).build(),
                    pairs, steps::add);

            assertThat(result.steps()).isEqualTo(4);
            assertThat(steps.get(0).pairs() + steps.get(1).pairs()).isEqualTo(10);
            assertThat(steps.get(2).pairs() + steps.get(3).pairs()).isEqualTo(10);
            assertThat(result.pairs()).isEqualTo(20);
        }
    }

    @Test
    void leftPaddingTrainsLikeRightPadding() {
        List<EncodedPair> pairs = ToyData.encoded(32, 20);
        try (ToyRewardModel right = ToyData.model(21); ToyRewardModel left = ToyData.model(21)) {
            train(right, toyConfig().epochs(2).paddingSide(PaddingSide.RIGHT).build(), pairs);
            train(left, toyConfig().epochs(2).paddingSide(PaddingSide.LEFT).build(), pairs);

            assertSameParameters(left.snapshot(), right.snapshot(), 1e-5f);
        }
    }

    @Test
    void listenerSeesEveryStepAndEpoch() {
        List<EncodedPair> pairs = ToyData.encoded(32, 22);
        List<StepMetrics> steps = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        long[] start = new long[2];
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onTrainingStart(long firstStep, long totalSteps) {
                start[0] = firstStep;
                start[1] = totalSteps;
            }

            @Override
            public void onStep(StepMetrics metrics) {
                steps.add(metrics);
            }

            @Override
            public void onEpochEnd(int epoch, long step) {
                epochs.add(epoch);
            }
        };
        try (ToyRewardModel model = ToyData.model(23)) {
            train(model, toyConfig().epochs(3).build(), pairs, listener);
        }

        assertThat(start).containsExactly(1, 6);
        assertThat(steps).extracting(StepMetrics::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(steps).extracting(StepMetrics::epoch).containsExactly(1, 1, 2, 2, 3, 3);
        assertThat(epochs).containsExactly(1, 2, 3);
        assertThat(steps.get(0).pairs()).isEqualTo(16);
    }

    @Test
    void completedRunIsRejected() {
        List<EncodedPair> pairs = ToyData.encoded(16, 24);
        try (ToyRewardModel model = ToyData.model(25);
                RewardTrainer trainer =
                        new RewardTrainer(model, new SoftplusBtLoss(), toyConfig().maxSteps(1).build())) {
            trainer.train(pairs);

            assertThatThrownBy(() -> trainer.train(pairs))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 of 1 steps");
        }
    }

    @Test
    void nanGradientStopsTraining() {
        RewardLoss nanLoss = new RewardLoss() {
            @Override
            public String name() {
                return "nan";
            }

            @Override
            public NDArray compute(PairwiseRewards rewards) {
                return rewards.chosen().sub(rewards.rejected()).mean().mul(Float.NaN);
            }
        };
        List<EncodedPair> pairs = ToyData.encoded(16, 27);
        try (ToyRewardModel model = ToyData.model(28);
                RewardTrainer trainer = new RewardTrainer(model, nanLoss, toyConfig().maxSteps(1).build())) {
            Map<String, float[]> before = model.snapshot();
            int arrays = model.attachedArrays();

            assertThatThrownBy(() -> trainer.train(pairs))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Gradient norm is NaN at step 1")
                    .hasMessageContaining("diverged");
            assertThat(model.snapshot().get("embedding")).containsExactly(before.get("embedding"));
            assertThat(model.attachedArrays()).isEqualTo(arrays);
        }
    }

    @Test
    void plannedStepsCountsPartialSteps() {
        try (ToyRewardModel model = ToyData.model(26);
                RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), toyConfig().epochs(3).build())) {
            // 33 pairs: 9 micro batches of at most 4, 4 per step, so 3 steps per epoch.
            assertThat(trainer.plannedSteps(33)).isEqualTo(9);
        }
    }
}
