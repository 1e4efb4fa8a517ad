package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.api.loss.RegressionLoss;

/** Checks the {@code regression} plugin on labels made by {@link RegressionTargets}, with hand-worked values. */
class HelpfulnessOnlyLossTest {

    private static final List<RatedResponse> RECORDS = List.of(
            rated("one", 4, 3, 4, 1, 0),
            rated("two", 2, 2, 3, 2, 1));

    private final RegressionLoss loss = PluginLosses.regression();

    private static RatedResponse rated(String id, double... values) {
        return new RatedResponse(id, List.of(Turn.user("q")), "a", Map.of("helpfulness", values[0],
                "correctness", values[1], "coherence", values[2], "complexity", values[3], "verbosity", values[4]));
    }

    private static float[] labelRows(RegressionTargets targets, boolean mask) {
        float[] rows = new float[10];
        for (int i = 0; i < RECORDS.size(); i++) {
            RegressionTargets.Labels labels = targets.labels(RECORDS.get(i));
            System.arraycopy(mask ? labels.mask() : labels.values(), 0, rows, 5 * i, 5);
        }
        return rows;
    }

    private float lossOf(RegressionTargets targets, float[] predicted) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            return loss.compute(manager.create(predicted, new Shape(2, 5)),
                    manager.create(labelRows(targets, false), new Shape(2, 5)),
                    manager.create(labelRows(targets, true), new Shape(2, 5))).getFloat();
        }
    }

    @Test
    void helpfulnessOnlyAveragesHelpfulnessSlots() {
        float[] predicted = {2.5f, 0, 0, 0, 0, 1f, 9, 9, 9, 9};

        // ((2.5 - 4)^2 + (1 - 2)^2) / 2 = (2.25 + 1) / 2
        assertThat(lossOf(RegressionTargets.helpSteer2HelpfulnessOnly(), predicted)).isCloseTo(1.625f, within(1e-6f));
    }

    @Test
    void otherSlotsDoNotChangeHelpfulnessOnlyLoss() {
        float[] predicted = {2.5f, 1000, -1000, 1e6f, 7, 1f, -3, 0, 12, 5};

        assertThat(lossOf(RegressionTargets.helpSteer2HelpfulnessOnly(), predicted)).isCloseTo(1.625f, within(1e-6f));
    }

    @Test
    void allAttributesAverageTenSlots() {
        float[] predicted = {2.5f, 0, 0, 0, 0, 1f, 9, 9, 9, 9};

        // Row one: 2.25 + 9 + 16 + 1 + 0 = 28.25; row two: 1 + 49 + 36 + 49 + 64 = 199; (28.25 + 199) / 10
        assertThat(lossOf(RegressionTargets.helpSteer2(), predicted)).isCloseTo(22.725f, within(1e-5f));
    }

    @Test
    void helpfulnessOnlyGradientSkipsOtherSlots() {
        RegressionTargets targets = RegressionTargets.helpSteer2HelpfulnessOnly();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray predicted = manager.create(new float[] {2.5f, 0, 0, 0, 0, 1f, 9, 9, 9, 9}, new Shape(2, 5));
            predicted.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss.compute(predicted, manager.create(labelRows(targets, false), new Shape(2, 5)),
                        manager.create(labelRows(targets, true), new Shape(2, 5))));
            }

            // d/dp of sum((p - y)^2) / 2 is (p - y) in the helpfulness slots and 0 elsewhere.
            assertThat(predicted.getGradient().toFloatArray())
                    .containsExactly(new float[] {-1.5f, 0, 0, 0, 0, -1f, 0, 0, 0, 0}, within(1e-6f));
        }
    }
}
