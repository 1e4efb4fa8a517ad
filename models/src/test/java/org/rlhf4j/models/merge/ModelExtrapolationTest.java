package org.rlhf4j.models.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.merge.ModelExtrapolation.Convention;

class ModelExtrapolationTest {

    private NDManager sources;
    private NDManager results;

    @BeforeEach
    void open() {
        sources = NDManager.newBaseManager();
        results = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        results.close();
        sources.close();
    }

    private Map<String, NDArray> parameters(float[] values) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        map.put("w", sources.create(values));
        return map;
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    @Test
    void alphaHalfMovesPastStrong() {
        Map<String, NDArray> strong = parameters(new float[] {1f, 2f});
        Map<String, NDArray> weak = parameters(new float[] {0.5f, 1f});

        Map<String, NDArray> result = ModelExtrapolation.extrapolate(weak, strong, 0.5, results);

        // 1 + 0.5 * (1 - 0.5) = 1.25 and 2 + 0.5 * (2 - 1) = 2.5, both exact in float32.
        assertThat(result.get("w").toFloatArray()).containsExactly(1.25f, 2.5f);
        assertThat(result.get("w").getDataType()).isEqualTo(DataType.FLOAT32);
    }

    @Test
    void totalMultiplierSubtractsOne() {
        assertThat(Convention.TOTAL_MULTIPLIER.toAlpha(1.52)).isCloseTo(0.52, within(1e-15));
        assertThat(Convention.TOTAL_MULTIPLIER.toAlpha(1.0)).isEqualTo(0.0);
        assertThat(Convention.ALPHA.toAlpha(1.52)).isEqualTo(1.52);
        assertThat(ModelExtrapolation.DEFAULT_CONVENTION).isEqualTo(Convention.ALPHA);
        assertThat(ModelExtrapolation.REPORTED_FACTOR).isEqualTo(1.52);
    }

    @Test
    void totalMultiplierOfReportedFactor() {
        Map<String, NDArray> strong = parameters(new float[] {1f, 2f});
        Map<String, NDArray> weak = parameters(new float[] {0.5f, 1f});
        double alpha = Convention.TOTAL_MULTIPLIER.toAlpha(ModelExtrapolation.REPORTED_FACTOR);

        float[] values = ModelExtrapolation.extrapolate(weak, strong, alpha, results).get("w").toFloatArray();

        // weak + 1.52 * (strong - weak): 0.5 + 1.52 * 0.5 = 1.26 and 1 + 1.52 * 1 = 2.52.
        assertThat(values[0]).isCloseTo(1.26f, within(1e-6f));
        assertThat(values[1]).isCloseTo(2.52f, within(1e-6f));
    }

    @Test
    void alphaOfReportedFactor() {
        Map<String, NDArray> strong = parameters(new float[] {1f, 2f});
        Map<String, NDArray> weak = parameters(new float[] {0.5f, 1f});

        float[] values = ModelExtrapolation.extrapolate(weak, strong, ModelExtrapolation.REPORTED_FACTOR, results)
                .get("w").toFloatArray();

        // strong + 1.52 * (strong - weak): 1 + 0.76 = 1.76 and 2 + 1.52 = 3.52.
        assertThat(values[0]).isCloseTo(1.76f, within(1e-6f));
        assertThat(values[1]).isCloseTo(3.52f, within(1e-6f));
    }

    @Test
    void negativeAlphaInterpolates() {
        Map<String, NDArray> strong = parameters(new float[] {1f, 2f, -4f});
        Map<String, NDArray> weak = parameters(new float[] {0.5f, 1f, 4f});

        float[] values = ModelExtrapolation.extrapolate(weak, strong, -0.5, results).get("w").toFloatArray();

        assertThat(values).containsExactly(0.75f, 1.5f, 0f);
    }

    @Test
    void alphaZeroReturnsStrongBitwise() {
        // -0.0 + 0 * (-0.0 - -1) would give +0.0, and 0 * (3e38 - -3e38) would give NaN.
        float[] strongValues = {-0f, 3e38f, 1e-45f, 0.1f, Float.NaN};
        Map<String, NDArray> strong = parameters(strongValues);
        Map<String, NDArray> weak = parameters(new float[] {-1f, -3e38f, 7f, 0.3f, 1f});

        NDArray result = ModelExtrapolation.extrapolate(weak, strong, 0.0, results).get("w");

        assertThat(bits(result.toFloatArray())).containsExactly(bits(strongValues));
    }

    @Test
    void alphaMinusOneReturnsWeakBitwise() {
        // 1e8 - (1e8 - 1) is 0 in float32, not 1, and -0.0 would come back as +0.0.
        float[] weakValues = {1f, -0f, 0.1f, -2.5e-38f, 123.456f};
        Map<String, NDArray> strong = parameters(new float[] {1e8f, 5f, 0.7f, 1e30f, -0.001f});
        Map<String, NDArray> weak = parameters(weakValues);

        NDArray result = ModelExtrapolation.extrapolate(weak, strong, -1.0, results).get("w");

        assertThat(bits(result.toFloatArray())).containsExactly(bits(weakValues));
    }

    @Test
    void resultKeepsStrongOrderAndNames() {
        Map<String, NDArray> strong = new LinkedHashMap<>();
        strong.put("z", sources.create(new float[] {1f}));
        strong.put("a", sources.create(new float[] {2f, 3f}, new Shape(1, 2)));
        Map<String, NDArray> weak = new LinkedHashMap<>();
        weak.put("a", sources.create(new float[] {0f, 1f}, new Shape(1, 2)));
        weak.put("z", sources.create(new float[] {3f}));

        Map<String, NDArray> result = ModelExtrapolation.extrapolate(weak, strong, 1.0, results);

        assertThat(result.keySet()).containsExactly("z", "a");
        assertThat(result.get("z").getName()).isEqualTo("z");
        assertThat(result.get("a").getShape()).isEqualTo(new Shape(1, 2));
        assertThat(result.get("z").toFloatArray()).containsExactly(-1f);
        assertThat(result.get("a").toFloatArray()).containsExactly(4f, 5f);
    }

    @Test
    void inputsStayUnchanged() {
        Map<String, NDArray> strong = parameters(new float[] {1f, 2f});
        Map<String, NDArray> weak = parameters(new float[] {0.5f, 1f});
        int before = sources.getManagedArrays().size();

        ModelExtrapolation.extrapolate(weak, strong, 0.5, results);
        ModelExtrapolation.extrapolate(weak, strong, 0.0, results);
        ModelExtrapolation.extrapolate(weak, strong, -1.0, results);

        assertThat(strong.get("w").toFloatArray()).containsExactly(1f, 2f);
        assertThat(weak.get("w").toFloatArray()).containsExactly(0.5f, 1f);
        assertThat(sources.getManagedArrays()).hasSize(before);
    }

    @Test
    void resultsBelongToGivenManager() {
        Map<String, NDArray> strong = parameters(new float[] {1f, 2f});
        Map<String, NDArray> weak = parameters(new float[] {0.5f, 1f});
        NDArray result;
        try (NDManager owner = NDManager.newBaseManager()) {
            result = ModelExtrapolation.extrapolate(weak, strong, 0.5, owner).get("w");

            assertThat(result.getManager()).isSameAs(owner);
            assertThat(owner.getManagedArrays()).containsExactly(result);
        }
        assertThat(result.isReleased()).isTrue();
    }

    @Test
    void halfPrecisionComputesInFloat32() {
        Map<String, NDArray> strong = Map.of("w", sources.create(new float[] {1f, 2f}).toType(DataType.FLOAT16, false));
        Map<String, NDArray> weak = parameters(new float[] {0.5f, 1f});

        NDArray result = ModelExtrapolation.extrapolate(weak, strong, 0.5, results).get("w");

        assertThat(result.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(result.toFloatArray()).containsExactly(1.25f, 2.5f);
    }

    @Test
    void parameterMissingFromWeakIsNamed() {
        Map<String, NDArray> strong = parameters(new float[] {1f});
        strong.put("blk.0.ffn_up.weight", sources.create(new float[] {2f}));
        Map<String, NDArray> weak = parameters(new float[] {0f});

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weak, strong, 0.5, results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter blk.0.ffn_up.weight is in the strong model but not in the weak model");
    }

    @Test
    void parameterMissingFromStrongIsNamed() {
        Map<String, NDArray> strong = parameters(new float[] {1f});
        Map<String, NDArray> weak = parameters(new float[] {0f});
        weak.put("extra.a", sources.create(new float[] {2f}));
        weak.put("extra.b", sources.create(new float[] {2f}));

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weak, strong, 0.5, results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 parameters [extra.a, extra.b] are in the weak model but not in the strong model");
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        Map<String, NDArray> strong = Map.of("reward_head.weight", sources.zeros(new Shape(5, 64)));
        Map<String, NDArray> weak = Map.of("reward_head.weight", sources.zeros(new Shape(1, 64)));

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weak, strong, 0.5, results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter reward_head.weight has shape (1, 64) in the weak model but (5, 64) in the"
                        + " strong model");
    }

    @Test
    void integerParameterIsRejected() {
        Map<String, NDArray> strong = Map.of("count", sources.create(new int[] {1, 2}));
        Map<String, NDArray> weak = Map.of("count", sources.create(new int[] {0, 1}));

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weak, strong, 0.5, results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter count of the weak model has type int32");
    }

    @Test
    void nonFiniteAlphaIsRejected() {
        Map<String, NDArray> strong = parameters(new float[] {1f});
        Map<String, NDArray> weak = parameters(new float[] {0f});

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weak, strong, Double.NaN, results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alpha must be a finite number but is NaN");
        assertThatThrownBy(() -> Convention.TOTAL_MULTIPLIER.toAlpha(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the extrapolation factor must be a finite number but is Infinity");
    }
}
