package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Activation and KV cache estimates for Llama 3.1 8B (h 4096, a 32, 32 layers, 8 KV heads of 128). */
class ActivationMemoryTest {

    private static final ModelShape LLAMA_8B = ModelShape.LLAMA_3_1_8B;

    private final MemoryEstimator estimator = MemoryEstimator.builder().build();

    @Test
    void layerWithoutRecomputation() {
        // s*b*h = 4096 * 1 * 4096 = 16,777,216; 34 * 16,777,216 = 570,425,344;
        // 5 * a * s^2 * b = 5 * 32 * 4096^2 = 2,684,354,560; sum 3,254,779,904
        long bytes = estimator.layerActivationBytes(LLAMA_8B, 4096, 1, ActivationRecompute.NONE);

        assertThat(bytes).isEqualTo(3_254_779_904L);
    }

    @Test
    void layerWithSelectiveRecomputation() {
        assertThat(estimator.layerActivationBytes(LLAMA_8B, 4096, 1, ActivationRecompute.SELECTIVE))
                .isEqualTo(570_425_344L);
    }

    @Test
    void layerWithFullRecomputation() {
        // 2 * s*b*h = 2 * 16,777,216
        assertThat(estimator.layerActivationBytes(LLAMA_8B, 4096, 1, ActivationRecompute.FULL))
                .isEqualTo(33_554_432L);
    }

    @Test
    void microBatchScalesLinearly() {
        long one = estimator.layerActivationBytes(LLAMA_8B, 4096, 1, ActivationRecompute.NONE);

        assertThat(estimator.layerActivationBytes(LLAMA_8B, 4096, 4, ActivationRecompute.NONE)).isEqualTo(4 * one);
    }

    @Test
    void float32ActivationsDoubleTheFigure() {
        MemoryEstimator fp32 = MemoryEstimator.builder().optActivationPrecision(Precision.FP32).build();

        assertThat(fp32.layerActivationBytes(LLAMA_8B, 4096, 1, ActivationRecompute.SELECTIVE))
                .isEqualTo(2 * 570_425_344L);
    }

    @Test
    void outputLayerOfPolicyIncludesLogits() {
        // 4*s*b*h + 4*s*b*v = 4 * 16,777,216 + 4 * 4096 * 128,256 = 67,108,864 + 2,101,346,304
        assertThat(estimator.outputActivationBytes(ModelRole.POLICY, LLAMA_8B, 4096, 1))
                .isEqualTo(2_168_455_168L);
    }

    @Test
    void outputLayerOfRewardModelHasNoLogits() {
        assertThat(estimator.outputActivationBytes(ModelRole.REWARD, LLAMA_8B, 4096, 1)).isEqualTo(67_108_864L);
    }

    @Test
    void trainingKeepsEveryLayer() {
        // 32 layers * 570,425,344 + output 67,108,864 = 18,320,719,872
        long bytes = estimator.trainingActivationBytes(ModelRole.REWARD, LLAMA_8B, 4096, 1,
                ActivationRecompute.SELECTIVE);

        assertThat(bytes).isEqualTo(18_320_719_872L);
    }

    @Test
    void fullRecomputationAddsOneFullLayer() {
        // 32 * 33,554,432 + one layer without recomputation 3,254,779,904 + output 67,108,864
        long bytes = estimator.trainingActivationBytes(ModelRole.REWARD, LLAMA_8B, 4096, 1, ActivationRecompute.FULL);

        assertThat(bytes).isEqualTo(4_395_630_592L);
    }

    @Test
    void inferenceHoldsOneLayer() {
        // one layer 3,254,779,904 + policy output 2,168,455,168
        assertThat(estimator.inferenceActivationBytes(ModelRole.REFERENCE, LLAMA_8B, 4096, 1))
                .isEqualTo(5_423_235_072L);
    }

    @Test
    void kvCacheIs128KibPerToken() {
        // 2 (K and V) * 32 layers * 8 KV heads * 128 * 2 bytes = 131,072 bytes per token
        assertThat(estimator.kvCacheBytes(LLAMA_8B, 1)).isEqualTo(131_072L);
        assertThat(estimator.kvCacheBytes(LLAMA_8B, 4096)).isEqualTo(536_870_912L);
    }

    @Test
    void kvCacheOfSeventyBillion() {
        // 2 * 80 layers * 8 KV heads * 128 * 2 bytes = 327,680 bytes per token
        assertThat(estimator.kvCacheBytes(ModelShape.LLAMA_3_1_70B, 8192)).isEqualTo(2_684_354_560L);
    }

    @Test
    void zeroSequenceLengthIsRejected() {
        assertThatThrownBy(() -> estimator.layerActivationBytes(LLAMA_8B, 0, 1, ActivationRecompute.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequenceLength must be positive, got 0");
    }

    @Test
    void negativeTokensAreRejected() {
        assertThatThrownBy(() -> estimator.kvCacheBytes(LLAMA_8B, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
    }

    @Test
    void recomputeLabelsParse() {
        assertThat(ActivationRecompute.fromLabel("Full")).isEqualTo(ActivationRecompute.FULL);
        assertThatThrownBy(() -> ActivationRecompute.fromLabel("some"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'some'")
                .hasMessageContaining("none, selective, full");
    }
}
