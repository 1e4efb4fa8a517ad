package org.rlhf4j.algorithms.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private Map<String, NDArray> parameter(float... values) {
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        parameters.put("w", manager.create(values));
        return parameters;
    }

    private Map<String, NDArray> gradient(float... values) {
        return Map.of("w", manager.create(values));
    }

    /*
     * p = [1, -2], lr 0.1, betas 0.9/0.999, eps 1e-8, weight decay 0.01.
     * Step 1, g = [0.5, -1]: decay gives p = [0.999, -1.998]; m = [0.05, -0.1]; v = [0.00025, 0.001];
     * m / (1 - 0.9) = [0.5, -1]; v / (1 - 0.999) = [0.25, 1]; update = 0.1 * [0.5/0.5, -1/1] = [0.1, -0.1],
     * so p = [0.899, -1.898].
     * Step 2, g = [0.2, 0.4]: decay gives p = [0.898101, -1.896102]; m = [0.065, -0.05];
     * v = [0.00028975, 0.001159]; bias corrections 0.19 and 0.001999;
     * update = 0.1 * [0.342105 / 0.380720, -0.263158 / 0.761439] = [0.0898576, -0.0345606],
     * so p = [0.8082435, -1.8615414].
     */
    @Test
    void twoStepsMatchHandWorkedValues() {
        Map<String, NDArray> parameters = parameter(1f, -2f);
        try (AdamW adamW = AdamW.builder().weightDecay(0.01).build(parameters)) {
            adamW.step(gradient(0.5f, -1f), 0.1);
            float[] afterFirst = parameters.get("w").toFloatArray();
            assertThat(afterFirst[0]).isCloseTo(0.899f, within(1e-6f));
            assertThat(afterFirst[1]).isCloseTo(-1.898f, within(1e-6f));

            adamW.step(gradient(0.2f, 0.4f), 0.1);
            float[] afterSecond = parameters.get("w").toFloatArray();
            assertThat(afterSecond[0]).isCloseTo(0.8082435f, within(1e-6f));
            assertThat(afterSecond[1]).isCloseTo(-1.8615414f, within(1e-6f));
            assertThat(adamW.stepCount()).isEqualTo(2);
        }
    }

    @Test
    void momentsMatchHandWorkedValues() {
        Map<String, NDArray> parameters = parameter(1f, -2f);
        try (AdamW adamW = AdamW.builder().weightDecay(0.01).build(parameters)) {
            adamW.step(gradient(0.5f, -1f), 0.1);
            adamW.step(gradient(0.2f, 0.4f), 0.1);

            float[] m = adamW.state().get("w.exp_avg").toFloatArray();
            float[] v = adamW.state().get("w.exp_avg_sq").toFloatArray();
            assertThat(m[0]).isCloseTo(0.065f, within(1e-7f));
            assertThat(m[1]).isCloseTo(-0.05f, within(1e-7f));
            assertThat(v[0]).isCloseTo(0.00028975f, within(1e-9f));
            assertThat(v[1]).isCloseTo(0.001159f, within(1e-9f));
        }
    }

    @Test
    void defaultsArePyTorchDefaults() {
        try (AdamW adamW = AdamW.builder().build(parameter(1f))) {
            assertThat(adamW.beta1()).isEqualTo(0.9);
            assertThat(adamW.beta2()).isEqualTo(0.999);
            assertThat(adamW.epsilon()).isEqualTo(1e-8);
            assertThat(adamW.weightDecay()).isEqualTo(0.0);
        }
    }

    @Test
    void firstStepMovesByLearningRate() {
        // Without weight decay the first Adam step is lr * g / |g| for every non-zero g.
        Map<String, NDArray> parameters = parameter(0f, 0f);
        try (AdamW adamW = AdamW.builder().build(parameters)) {
            adamW.step(gradient(3f, -0.01f), 0.5);

            float[] values = parameters.get("w").toFloatArray();
            assertThat(values[0]).isCloseTo(-0.5f, within(1e-6f));
            assertThat(values[1]).isCloseTo(0.5f, within(1e-5f));
        }
    }

    @Test
    void loadStateRestoresMomentsAndSteps() {
        Map<String, NDArray> first = parameter(1f, -2f);
        Map<String, NDArray> second = parameter(1f, -2f);
        try (AdamW original = AdamW.builder().build(first); AdamW restored = AdamW.builder().build(second)) {
            original.step(gradient(0.5f, -1f), 0.1);
            restored.step(gradient(0.5f, -1f), 0.1);
            restored.loadState(original.state(), original.stepCount());

            original.step(gradient(0.2f, 0.4f), 0.1);
            restored.step(gradient(0.2f, 0.4f), 0.1);

            assertThat(second.get("w").toFloatArray()).containsExactly(first.get("w").toFloatArray());
            assertThat(restored.stepCount()).isEqualTo(2);
        }
    }

    @Test
    void loadStateRejectsMissingEntry() {
        try (AdamW adamW = AdamW.builder().build(parameter(1f))) {
            assertThatThrownBy(() -> adamW.loadState(Map.of(), 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("w.exp_avg");
        }
    }

    @Test
    void missingGradientIsRejected() {
        try (AdamW adamW = AdamW.builder().build(parameter(1f))) {
            assertThatThrownBy(() -> adamW.step(Map.of(), 0.1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'w'");
            assertThat(adamW.stepCount()).isZero();
        }
    }

    @Test
    void gradientShapeMismatchIsRejected() {
        try (AdamW adamW = AdamW.builder().build(parameter(1f, 2f))) {
            assertThatThrownBy(() -> adamW.step(gradient(1f), 0.1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shape");
        }
    }

    @Test
    void negativeLearningRateIsRejected() {
        try (AdamW adamW = AdamW.builder().build(parameter(1f))) {
            assertThatThrownBy(() -> adamW.step(gradient(1f), -0.1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-0.1");
        }
    }

    @Test
    void invalidHyperParametersAreRejected() {
        assertThatThrownBy(() -> AdamW.builder().betas(1.0, 0.999))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta1");
        assertThatThrownBy(() -> AdamW.builder().epsilon(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> AdamW.builder().weightDecay(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> AdamW.builder().build(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one parameter");
    }

    @Test
    void stepsLeaveNoArraysBehind() {
        Map<String, NDArray> parameters = parameter(1f, -2f);
        NDArray gradient = manager.create(new float[] {0.5f, -1f});
        int before = manager.getManagedArrays().size();
        try (AdamW adamW = AdamW.builder().weightDecay(0.1).build(parameters)) {
            int withState = manager.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                adamW.step(Map.of("w", gradient), 0.1);
            }
            assertThat(manager.getManagedArrays()).hasSize(withState);
        }
        assertThat(manager.getManagedArrays()).hasSize(before);
    }
}
