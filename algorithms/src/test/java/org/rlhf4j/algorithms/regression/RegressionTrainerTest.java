package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.toy.CapturedStderr;
import org.rlhf4j.api.loss.RegressionLoss;
import org.rlhf4j.models.reward.RewardHeadSpec;

class RegressionTrainerTest {

    private static final RegressionTargets ALL = RegressionTargets.helpSteer2();

    private final RegressionLoss loss = PluginLosses.regression();

    private static RegressionTrainerConfig.Builder config() {
        return RegressionTrainerConfig.builder().learningRate(0.05).warmupSteps(0).globalBatchSize(8)
                .microBatchSize(4).logEvery(1000);
    }

    @Test
    void lossFallsOnSyntheticSet() {
        List<EncodedRated> examples = RatedData.encoded(48, 3, ALL);
        try (ToyAttributeModel model = RatedData.model(ALL, 1);
                RegressionTrainer trainer = new RegressionTrainer(model, loss, config().epochs(20).build())) {
            RegressionResult result = trainer.train(examples);

            assertThat(result.steps()).isEqualTo(120);
            assertThat(result.examples()).isEqualTo(960);
            assertThat(result.lastLoss()).isLessThan(result.firstLoss() / 10);
        }
    }

    @Test
    void stepLossIsMaskedMse() {
        List<EncodedRated> examples = RatedData.encoded(8, 4, ALL);
        List<RegressionStepMetrics> steps = new ArrayList<>();
        float expected;
        try (ToyAttributeModel reference = RatedData.model(ALL, 2); NDManager scope = reference.manager()
                .newSubManager()) {
            RegressionBatch batch = RegressionBatch.of(examples, PaddingSide.RIGHT, 0);
            NDArray predicted = reference.forward(batch.idsArray(scope), batch.maskArray(scope));
            expected = loss.compute(predicted, batch.labelsArray(scope), batch.labelMaskArray(scope)).getFloat();
        }

        try (ToyAttributeModel model = RatedData.model(ALL, 2);
                RegressionTrainer trainer = new RegressionTrainer(model, loss,
                        config().microBatchSize(2).maxSteps(1).build())) {
            trainer.addListener(steps::add);
            trainer.train(examples);
        }

        assertThat(steps.get(0).loss()).isCloseTo(expected, within(1e-5));
        // Six examples label 5 slots and two (the third and the sixth) label 3.
        assertThat(steps.get(0).labelledSlots()).isEqualTo(36);
    }

    @Test
    void accumulationMatchesFullBatch() {
        // Examples label 3 or 5 slots, so micro batches weigh by labelled slots, not by examples.
        List<EncodedRated> examples = RatedData.encoded(8, 5, ALL);
        List<RegressionStepMetrics> microSteps = new ArrayList<>();
        List<RegressionStepMetrics> fullSteps = new ArrayList<>();
        try (ToyAttributeModel accumulated = RatedData.model(ALL, 3);
                ToyAttributeModel fullBatch = RatedData.model(ALL, 3);
                RegressionTrainer micro = new RegressionTrainer(accumulated, loss,
                        config().microBatchSize(2).maxSteps(1).build());
                RegressionTrainer full = new RegressionTrainer(fullBatch, loss,
                        config().microBatchSize(8).maxSteps(1).build())) {
            micro.addListener(microSteps::add);
            full.addListener(fullSteps::add);
            micro.train(examples);
            full.train(examples);
        }

        assertThat(microSteps.get(0).loss()).isCloseTo(fullSteps.get(0).loss(), within(1e-5));
        assertThat(microSteps.get(0).gradNorm()).isCloseTo(fullSteps.get(0).gradNorm(),
                within(1e-5 * fullSteps.get(0).gradNorm()));
    }

    @Test
    void helpfulnessOnlyLeavesOtherSlotsUnchanged() {
        RegressionTargets targets = RegressionTargets.helpSteer2HelpfulnessOnly();
        List<EncodedRated> examples = RatedData.encoded(16, 6, targets);
        try (ToyAttributeModel model = RatedData.model(targets, 4);
                RegressionTrainer trainer = new RegressionTrainer(model, loss, config().epochs(2).build())) {
            Map<String, float[]> before = model.snapshot();
            trainer.train(examples);
            Map<String, float[]> after = model.snapshot();

            float[] weightBefore = before.get(ToyAttributeModel.HEAD_WEIGHT);
            float[] weightAfter = after.get(ToyAttributeModel.HEAD_WEIGHT);
            for (int i = 0; i < weightBefore.length; i++) {
                if (i % 5 == 0) {
                    assertThat(weightAfter[i]).as("helpfulness weight %d", i).isNotEqualTo(weightBefore[i]);
                } else {
                    assertThat(weightAfter[i]).as("weight %d of another slot", i).isEqualTo(weightBefore[i]);
                }
            }
            assertThat(Arrays.copyOfRange(after.get(ToyAttributeModel.HEAD_BIAS), 1, 5)).containsOnly(0f);
        }
    }

    @Test
    void resumedRunEqualsStraightRun() {
        List<EncodedRated> examples = RatedData.encoded(20, 7, ALL);
        Map<String, float[]> straight;
        try (ToyAttributeModel model = RatedData.model(ALL, 5);
                RegressionTrainer trainer = new RegressionTrainer(model, loss, config().maxSteps(6).build())) {
            trainer.train(examples);
            straight = model.snapshot();
        }

        try (ToyAttributeModel model = RatedData.model(ALL, 5); NDManager saved = model.manager().newSubManager()) {
            Map<String, NDArray> state = new LinkedHashMap<>();
            try (RegressionTrainer first = new RegressionTrainer(model, loss, config().maxSteps(3).build())) {
                first.train(examples);
                first.optimizer().state().forEach((name, array) -> state.put(name, array.duplicate()));
                state.values().forEach(array -> array.attach(saved));
            }
            try (RegressionTrainer second = new RegressionTrainer(model, loss, config().maxSteps(6).build())) {
                second.optimizer().loadState(state, 3);
                RegressionResult result = second.train(examples);

                assertThat(result.firstStep()).isEqualTo(4);
            }
            Map<String, float[]> resumed = model.snapshot();
            for (String name : straight.keySet()) {
                assertThat(resumed.get(name)).as(name).containsExactly(straight.get(name));
            }
        }
    }

    @Test
    void attachedArraysStayConstant() {
        List<EncodedRated> examples = RatedData.encoded(24, 8, ALL);
        List<Integer> counts = new ArrayList<>();
        try (ToyAttributeModel model = RatedData.model(ALL, 6)) {
            int before = model.manager().getManagedArrays().size();
            try (RegressionTrainer trainer = new RegressionTrainer(model, loss, config().epochs(3).build())) {
                trainer.addListener(new RegressionListener() {
                    @Override
                    public void onStep(RegressionStepMetrics metrics) {}

                    @Override
                    public void onEpochEnd(int epoch, long step) {
                        counts.add(model.manager().getManagedArrays().size());
                    }
                });
                trainer.train(examples);
            }

            assertThat(counts).hasSize(3);
            assertThat(counts.get(2)).isEqualTo(counts.get(0));
            assertThat(model.manager().getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void logsEveryStep() {
        List<EncodedRated> examples = RatedData.encoded(8, 9, ALL);
        try (ToyAttributeModel model = RatedData.model(ALL, 7);
                RegressionTrainer trainer = new RegressionTrainer(model, loss, config().logEvery(1).maxSteps(2)
                        .build());
                CapturedStderr stderr = new CapturedStderr()) {
            trainer.train(examples);

            assertThat(stderr.text()).contains("Step 1/2 epoch 1: loss ");
            assertThat(stderr.text()).contains("Step 2/2 epoch 2: loss ");
            assertThat(stderr.text()).contains("grad_norm");
        }
    }

    @Test
    void headWidthMustMatchLabels() {
        List<EncodedRated> examples = RatedData.encoded(4, 10, ALL);
        try (ToyAttributeModel model = new ToyAttributeModel(18, 4, RewardHeadSpec.scalar(), 1);
                RegressionTrainer trainer = new RegressionTrainer(model, loss, config().maxSteps(1).build())) {
            assertThatThrownBy(() -> trainer.train(examples))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has 5 label slots but the model's")
                    .hasMessageContaining("has 1 outputs");
        }
    }

    @Test
    void completedRunIsRejected() {
        List<EncodedRated> examples = RatedData.encoded(8, 11, ALL);
        try (ToyAttributeModel model = RatedData.model(ALL, 8);
                RegressionTrainer trainer = new RegressionTrainer(model, loss, config().maxSteps(1).build())) {
            trainer.train(examples);

            assertThatThrownBy(() -> trainer.train(examples))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("The run is complete: 1 of 1 steps are done");
        }
    }

    @Test
    void divergenceStopsTraining() {
        List<EncodedRated> examples = List.of(new EncodedRated("huge", new int[] {1, 8, 2},
                new float[] {3e38f, 0, 0, 0, 0}, new float[] {1, 0, 0, 0, 0}));
        try (ToyAttributeModel model = RatedData.model(ALL, 9);
                RegressionTrainer trainer = new RegressionTrainer(model, loss, config().maxSteps(1).build())) {
            assertThatThrownBy(() -> trainer.train(examples))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("training diverged");
        }
    }
}
