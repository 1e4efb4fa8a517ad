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

class GradientClippingTest {

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Gradients [3, 0] and [4]: global norm sqrt(9 + 16) = 5. */
    private Map<String, NDArray> gradients() {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        gradients.put("a", manager.create(new float[] {3f, 0f}));
        gradients.put("b", manager.create(new float[] {4f}));
        return gradients;
    }

    @Test
    void globalNormOfTwoArrays() {
        assertThat(GradientClipping.globalNorm(gradients().values())).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void clipScalesToMaxNorm() {
        Map<String, NDArray> gradients = gradients();

        double norm = GradientClipping.clipByGlobalNorm(gradients, 1.0);

        // Scale 1 / (5 + 1e-6): [3, 0] -> [0.6, 0], [4] -> [0.8].
        assertThat(norm).isCloseTo(5.0, within(1e-9));
        assertThat(gradients.get("a").toFloatArray()[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(gradients.get("a").toFloatArray()[1]).isEqualTo(0f);
        assertThat(gradients.get("b").toFloatArray()[0]).isCloseTo(0.8f, within(1e-6f));
        assertThat(GradientClipping.globalNorm(gradients.values())).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void normBelowMaxIsUnchanged() {
        Map<String, NDArray> gradients = gradients();

        double norm = GradientClipping.clipByGlobalNorm(gradients, 10.0);

        assertThat(norm).isCloseTo(5.0, within(1e-9));
        assertThat(gradients.get("a").toFloatArray()).containsExactly(3f, 0f);
        assertThat(gradients.get("b").toFloatArray()).containsExactly(4f);
    }

    @Test
    void nanNormLeavesGradientsUnchanged() {
        Map<String, NDArray> gradients = gradients();
        gradients.put("c", manager.create(new float[] {Float.NaN}));

        double norm = GradientClipping.clipByGlobalNorm(gradients, 1.0);

        assertThat(norm).isNaN();
        assertThat(gradients.get("a").toFloatArray()).containsExactly(3f, 0f);
    }

    @Test
    void nonPositiveMaxNormIsRejected() {
        assertThatThrownBy(() -> GradientClipping.clipByGlobalNorm(gradients(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxNorm");
    }

    @Test
    void clippingLeavesNoArraysBehind() {
        Map<String, NDArray> gradients = gradients();
        int before = manager.getManagedArrays().size();

        GradientClipping.clipByGlobalNorm(gradients, 1.0);

        assertThat(manager.getManagedArrays()).hasSize(before);
    }
}
