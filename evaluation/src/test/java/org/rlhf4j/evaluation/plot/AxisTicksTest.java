package org.rlhf4j.evaluation.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AxisTicksTest {

    @Test
    void unitRangeGetsFifthSteps() {
        AxisTicks ticks = AxisTicks.nice(0, 1, 5, false);

        assertThat(ticks.step()).isEqualTo(0.2);
        assertThat(Arrays.stream(ticks.values()).mapToObj(ticks::label))
                .containsExactly("0.0", "0.2", "0.4", "0.6", "0.8", "1.0");
    }

    @Test
    void countsGetWholeSteps() {
        AxisTicks ticks = AxisTicks.nice(0, 3.2, 6, true);

        assertThat(ticks.step()).isEqualTo(1.0);
        assertThat(ticks.values()).containsExactly(0.0, 1.0, 2.0, 3.0);
    }

    @Test
    void ticksStayInsideRange() {
        AxisTicks ticks = AxisTicks.nice(-0.37, 2.61, 6, false);

        assertThat(ticks.step()).isEqualTo(0.5);
        assertThat(ticks.values()).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0, 2.5);
    }

    @Test
    void negativeZeroPrintsAsZero() {
        AxisTicks ticks = AxisTicks.nice(-1, 1, 4, false);

        assertThat(ticks.label(-0.0)).isEqualTo("0.0");
    }

    @Test
    void largeStepsHaveNoDecimals() {
        AxisTicks ticks = AxisTicks.nice(0, 1000, 5, false);

        assertThat(ticks.label(400)).isEqualTo("400");
    }
}
