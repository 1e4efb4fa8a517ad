package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;

class RegressionTrainerConfigTest {

    @Test
    void defaultsFollowRegressionRecipe() {
        RegressionTrainerConfig config = RegressionTrainerConfig.builder().build();

        assertThat(config.learningRate()).isEqualTo(2e-6);
        assertThat(config.warmupSteps()).isEqualTo(10);
        assertThat(config.schedule()).isEqualTo(LearningRateSchedule.Kind.CONSTANT);
        assertThat(config.globalBatchSize()).isEqualTo(128);
        assertThat(config.epochs()).isEqualTo(2);
        assertThat(config.maxGradNorm()).isEqualTo(1.0);
        assertThat(config.accumulationSteps()).isEqualTo(16);
    }

    @Test
    void maxStepsReplacesEpochs() {
        RegressionTrainerConfig config = RegressionTrainerConfig.builder().maxSteps(5).build();

        assertThat(config.epochs()).isZero();
        assertThat(config.maxSteps()).isEqualTo(5);
    }

    @Test
    void invalidSettingsAreNamed() {
        assertThatThrownBy(() -> RegressionTrainerConfig.builder().globalBatchSize(10).microBatchSize(4).build())
                .hasMessageContaining("globalBatchSize 10 must be a multiple of microBatchSize 4");
        assertThatThrownBy(() -> RegressionTrainerConfig.builder().learningRate(0).build())
                .hasMessageContaining("learningRate must be positive and finite, got 0.0");
        assertThatThrownBy(() -> RegressionTrainerConfig.builder().epochs(1).maxSteps(3).build())
                .hasMessageContaining("Set either epochs or maxSteps, not both");
        assertThatThrownBy(() -> RegressionTrainerConfig.builder().maxLength(1).build())
                .hasMessageContaining("maxLength must be >= 2");
        assertThatThrownBy(() -> RegressionTrainerConfig.builder().betas(1.0, 0.9).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
