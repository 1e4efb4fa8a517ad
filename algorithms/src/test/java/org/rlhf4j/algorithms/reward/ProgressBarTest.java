package org.rlhf4j.algorithms.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersFilledShare() {
        ProgressBar bar = new ProgressBar(null, 10, "train", 10);

        assertThat(bar.render(3, "loss 0.5")).isEqualTo("train [###.......] 3/10 loss 0.5");
    }

    @Test
    void rendersFullBarWithoutStatus() {
        ProgressBar bar = new ProgressBar(null, 4, "eval", 8);

        assertThat(bar.render(9, "")).isEqualTo("eval [########] 4/4");
    }

    @Test
    void updateRedrawsInPlace() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try (ProgressBar bar = new ProgressBar(out, 2, "t", 2)) {
            bar.update(1, "long status");
            bar.update(2, "");
        }

        assertThat(buffer.toString(StandardCharsets.UTF_8))
                .isEqualTo("\rt [#.] 1/2 long status\rt [##] 2/2" + " ".repeat(12) + System.lineSeparator());
    }

    @Test
    void consoleBarIsDisabledWithoutConsole() {
        assumeTrue(System.console() == null, "the test JVM has a console");

        assertThat(ProgressBar.forConsole(10, "train").enabled()).isFalse();
    }
}
