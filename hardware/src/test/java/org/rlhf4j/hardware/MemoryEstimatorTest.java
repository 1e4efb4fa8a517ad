package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryEstimatorTest {

    private static final long LLAMA_8B = 8_030_261_248L;

    private final MemoryEstimator estimator = MemoryEstimator.builder().build();

    @Test
    void trainableBf16PolicyTakesSixteenBytesPerParameter() {
        // bf16 weights 2 + bf16 gradients 2 + fp32 master 4 + AdamW moments 2 * 4 = 16 bytes per parameter
        RoleMemory policy = estimator.estimate(ModelRole.POLICY, ModelShape.LLAMA_3_1_8B);

        assertThat(policy.weightBytes()).isEqualTo(2 * LLAMA_8B);
        assertThat(policy.gradientBytes()).isEqualTo(2 * LLAMA_8B);
        assertThat(policy.masterWeightBytes()).isEqualTo(4 * LLAMA_8B);
        assertThat(policy.optimizerStateBytes()).isEqualTo(8 * LLAMA_8B);
        assertThat(policy.totalBytes()).isEqualTo(128_484_179_968L);
        assertThat(policy.bytesPerParameter()).isEqualTo(16.0);
    }

    @Test
    void frozenReferenceHoldsOnlyWeights() {
        RoleMemory reference = estimator.estimate(ModelRole.REFERENCE, ModelShape.LLAMA_3_1_8B);

        assertThat(reference.trainable()).isFalse();
        assertThat(reference.totalBytes()).isEqualTo(2 * LLAMA_8B);
    }

    @Test
    void fp32WeightsNeedNoMasterCopy() {
        MemoryEstimator fp32 = MemoryEstimator.builder().optWeightPrecision(Precision.FP32).build();

        RoleMemory policy = fp32.estimate(ModelRole.POLICY, ModelShape.LLAMA_3_1_8B);

        // 4 weights + 4 gradients + 8 moments = 16 bytes per parameter, no master copy
        assertThat(policy.masterWeightBytes()).isZero();
        assertThat(policy.totalBytes()).isEqualTo(16 * LLAMA_8B);
    }

    @Test
    void masterWeightsCanBeDropped() {
        MemoryEstimator noMaster = MemoryEstimator.builder().optMasterWeights(false).build();

        RoleMemory policy = noMaster.estimate(ModelRole.POLICY, ModelShape.LLAMA_3_1_8B);

        assertThat(policy.totalBytes()).isEqualTo(12 * LLAMA_8B);
    }

    @Test
    void criticUsesScalarHeadAndTrains() {
        RoleMemory critic = estimator.estimate(ModelRole.CRITIC, ModelShape.LLAMA_3_1_8B);

        assertThat(critic.parameters()).isEqualTo(7_504_928_769L);
        assertThat(critic.trainable()).isTrue();
        assertThat(critic.totalBytes()).isEqualTo(16 * 7_504_928_769L);
    }

    @Test
    void rewardIsFrozenByDefault() {
        RoleMemory reward = estimator.estimate(ModelRole.REWARD, ModelShape.LLAMA_3_1_8B);

        assertThat(reward.trainable()).isFalse();
        assertThat(reward.totalBytes()).isEqualTo(2 * 7_504_928_769L);
    }

    @Test
    void rewardCanBeTrained() {
        RoleMemory reward = estimator.estimate(ModelRole.REWARD, ModelShape.LLAMA_3_1_8B, true);

        assertThat(reward.totalBytes()).isEqualTo(16 * 7_504_928_769L);
    }

    @Test
    void headOutputsChangeRewardParameters() {
        MemoryEstimator nineOutputs = MemoryEstimator.builder().optHeadOutputs(9).build();

        RoleMemory reward = nineOutputs.estimate(ModelRole.REWARD, ModelShape.LLAMA_3_1_8B);

        // backbone 7,504,924,672 + 9 * 4096 weights + 9 biases = 7,504,961,545
        assertThat(reward.parameters()).isEqualTo(7_504_961_545L);
    }

    @Test
    void headOutputsBelowOneAreRejected() {
        assertThatThrownBy(() -> MemoryEstimator.builder().optHeadOutputs(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
