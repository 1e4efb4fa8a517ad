package org.rlhf4j.algorithms.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;

class RewardTrainerConfigTest {

    @Test
    void defaultsAreDocumentedValues() {
        RewardTrainerConfig config = RewardTrainerConfig.builder().build();

        assertThat(config.learningRate()).isEqualTo(1e-6);
        assertThat(config.warmupSteps()).isEqualTo(10);
        assertThat(config.schedule()).isEqualTo(LearningRateSchedule.Kind.CONSTANT);
        assertThat(config.beta1()).isEqualTo(0.9);
        assertThat(config.beta2()).isEqualTo(0.999);
        assertThat(config.epsilon()).isEqualTo(1e-8);
        assertThat(config.weightDecay()).isEqualTo(0.0);
        assertThat(config.maxGradNorm()).isEqualTo(1.0);
        assertThat(config.globalBatchPairs()).isEqualTo(64);
        assertThat(config.microBatchPairs()).isEqualTo(4);
        assertThat(config.epochs()).isEqualTo(1);
        assertThat(config.maxSteps()).isZero();
        assertThat(config.truncationMode()).isEqualTo(TruncationMode.FILTER);
        assertThat(config.paddingSide()).isEqualTo(PaddingSide.RIGHT);
    }

    @Test
    void accumulationStepsIsGlobalOverMicro() {
        RewardTrainerConfig config = RewardTrainerConfig.builder().globalBatchPairs(32).microBatchPairs(8).build();

        assertThat(config.accumulationSteps()).isEqualTo(4);
    }

    @Test
    void globalBatchNotMultipleOfMicroIsRejected() {
        assertThatThrownBy(() -> RewardTrainerConfig.builder().globalBatchPairs(10).microBatchPairs(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("globalBatchPairs 10")
                .hasMessageContaining("microBatchPairs 4");
    }

    @Test
    void maxStepsReplacesEpochs() {
        RewardTrainerConfig config = RewardTrainerConfig.builder().maxSteps(105).build();

        assertThat(config.maxSteps()).isEqualTo(105);
        assertThat(config.epochs()).isZero();
    }

    @Test
    void epochsAndMaxStepsTogetherAreRejected() {
        assertThatThrownBy(() -> RewardTrainerConfig.builder().epochs(2).maxSteps(10).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("either epochs or maxSteps");
    }

    @Test
    void zeroEpochsIsRejected() {
        assertThatThrownBy(() -> RewardTrainerConfig.builder().epochs(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epochs=0");
    }

    @Test
    void invalidValuesAreNamed() {
        assertThatThrownBy(() -> RewardTrainerConfig.builder().learningRate(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> RewardTrainerConfig.builder().betas(0.9, 1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta2");
        assertThatThrownBy(() -> RewardTrainerConfig.builder().minLearningRate(1e-3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minLearningRate");
        assertThatThrownBy(() -> RewardTrainerConfig.builder().maxLength(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLength");
        assertThatThrownBy(() -> RewardTrainerConfig.builder().maxGradNorm(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxGradNorm");
    }

    @Test
    void scheduleUsesConfigValues() {
        RewardTrainerConfig config = RewardTrainerConfig.builder().learningRate(1e-3).warmupSteps(10)
                .schedule(LearningRateSchedule.Kind.COSINE).minLearningRate(1e-4).build();

        LearningRateSchedule schedule = config.learningRateSchedule(110);

        assertThat(schedule.learningRate(6)).isCloseTo(6e-4, within(1e-15));
        assertThat(schedule.learningRate(110)).isCloseTo(1e-4, within(1e-15));
    }
}
