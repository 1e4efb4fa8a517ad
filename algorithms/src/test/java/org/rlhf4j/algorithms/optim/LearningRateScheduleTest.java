package org.rlhf4j.algorithms.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private static final double TOLERANCE = 1e-15;

    @Test
    void warmupIsLinearInStep() {
        LearningRateSchedule schedule = LearningRateSchedule.constant(1e-3, 10);

        assertThat(schedule.learningRate(1)).isCloseTo(1e-4, within(TOLERANCE));
        assertThat(schedule.learningRate(6)).isCloseTo(6e-4, within(TOLERANCE));
        assertThat(schedule.learningRate(10)).isCloseTo(1e-3, within(TOLERANCE));
    }

    @Test
    void constantKeepsPeakAfterWarmup() {
        LearningRateSchedule schedule = LearningRateSchedule.constant(1e-3, 10);

        assertThat(schedule.learningRate(11)).isEqualTo(1e-3);
        assertThat(schedule.learningRate(1000)).isEqualTo(1e-3);
    }

    @Test
    void noWarmupStartsAtPeak() {
        assertThat(LearningRateSchedule.constant(2e-5, 0).learningRate(1)).isEqualTo(2e-5);
    }

    @Test
    void cosineHalfwayIsMeanOfPeakAndMinimum() {
        // Warm-up 10 of 110 steps: step 60 is halfway through the decay, cos(pi/2) = 0.
        LearningRateSchedule schedule = LearningRateSchedule.cosine(1e-3, 10, 110, 1e-4);

        assertThat(schedule.learningRate(60)).isCloseTo(5.5e-4, within(TOLERANCE));
    }

    @Test
    void cosineQuarterMatchesFormula() {
        // Step 35: progress 0.25, lr = 1e-4 + 9e-4 * (1 + cos(pi/4)) / 2 = 8.682e-4.
        LearningRateSchedule schedule = LearningRateSchedule.cosine(1e-3, 10, 110, 1e-4);

        assertThat(schedule.learningRate(35)).isCloseTo(1e-4 + 9e-4 * (1 + Math.sqrt(0.5)) / 2, within(TOLERANCE));
    }

    @Test
    void cosineStartsAtPeakAndEndsAtMinimum() {
        LearningRateSchedule schedule = LearningRateSchedule.cosine(1e-3, 10, 110, 1e-4);

        assertThat(schedule.learningRate(10)).isCloseTo(1e-3, within(TOLERANCE));
        assertThat(schedule.learningRate(110)).isCloseTo(1e-4, within(TOLERANCE));
        assertThat(schedule.learningRate(500)).isCloseTo(1e-4, within(TOLERANCE));
    }

    @Test
    void cosineWarmupMatchesConstantWarmup() {
        LearningRateSchedule schedule = LearningRateSchedule.cosine(1e-3, 10, 110, 0);

        assertThat(schedule.learningRate(6)).isCloseTo(6e-4, within(TOLERANCE));
    }

    @Test
    void stepZeroIsRejected() {
        assertThatThrownBy(() -> LearningRateSchedule.constant(1e-3, 10).learningRate(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-based");
    }

    @Test
    void minimumAbovePeakIsRejected() {
        assertThatThrownBy(() -> LearningRateSchedule.cosine(1e-4, 0, 10, 1e-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimum");
    }

    @Test
    void kindFromName() {
        assertThat(LearningRateSchedule.Kind.fromName("cosine")).isEqualTo(LearningRateSchedule.Kind.COSINE);
        assertThat(LearningRateSchedule.Kind.fromName("constant")).isEqualTo(LearningRateSchedule.Kind.CONSTANT);
        assertThatThrownBy(() -> LearningRateSchedule.Kind.fromName("linear"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("linear");
    }
}
