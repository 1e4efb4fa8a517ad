package org.rlhf4j.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StableMathTest {

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void log1pIsAccurateForTinyArguments() {
        float[] arguments = {1e-10f, 1e-6f, 0.005f, 0.0099f};

        float[] result = StableMath.log1p(manager.create(arguments)).toFloatArray();

        for (int i = 0; i < arguments.length; i++) {
            double expected = Math.log1p(arguments[i]);
            assertThat((double) result[i]).as("log1p(%s)", arguments[i])
                    .isCloseTo(expected, within(Math.abs(expected) * 1e-6));
        }
    }

    @Test
    void log1pIsAccurateForLargerArguments() {
        float[] arguments = {0.01f, 0.1f, 0.5f, 1f};

        float[] result = StableMath.log1p(manager.create(arguments)).toFloatArray();

        for (int i = 0; i < arguments.length; i++) {
            double expected = Math.log1p(arguments[i]);
            assertThat((double) result[i]).as("log1p(%s)", arguments[i])
                    .isCloseTo(expected, within(Math.abs(expected) * 1e-5));
        }
    }

    @Test
    void softplusMatchesDefinition() {
        // log(1 + e^x) for x = -3, 0, 2: 0.048587, 0.693147, 2.126928
        float[] result = StableMath.softplus(manager.create(new float[] {-3f, 0f, 2f})).toFloatArray();

        assertThat(result).containsExactly(new float[] {0.048587f, 0.693147f, 2.126928f}, within(1e-6f));
    }

    @Test
    void negLogSigmoidOfMinusHundredIsHundred() {
        float[] result = StableMath.negLogSigmoid(manager.create(new float[] {-100f, 100f})).toFloatArray();

        assertThat(result[0]).isEqualTo(100f);
        assertThat(result[1]).isBetween(0f, 1e-40f);
    }

    @Test
    void toFloat32KeepsFloat32Array() {
        NDArray array = manager.create(new float[] {1f});

        assertThat(StableMath.toFloat32(array)).isSameAs(array);
    }

    @Test
    void toFloat32ConvertsFloat64() {
        NDArray array = manager.create(new double[] {1.5});

        NDArray converted = StableMath.toFloat32(array);

        assertThat(converted.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(converted.getFloat()).isEqualTo(1.5f);
    }
}
