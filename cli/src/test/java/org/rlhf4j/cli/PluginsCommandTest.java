package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginsCommandTest {

    @Test
    void listsTheFourBuiltInLosses() {
        CommandRunner.Result result = CommandRunner.run("plugins");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = Arrays.asList(result.out().split("\n"));
        assertThat(lines).anyMatch(line -> line.matches("bt\\s+reward-loss\\s+org\\.rlhf4j\\.losses\\s+\\S+.*"));
        assertThat(lines).anyMatch(line -> line.matches("margin-bt\\s+reward-loss\\s+org\\.rlhf4j\\.losses\\s+.*"));
        assertThat(lines).anyMatch(line -> line.matches("scaled-bt\\s+reward-loss\\s+org\\.rlhf4j\\.losses\\s+.*"));
        assertThat(lines).anyMatch(line -> line.matches("regression\\s+regression-loss\\s+org\\.rlhf4j\\.losses\\s+.*"));
        assertThat(lines).anyMatch(line -> line.startsWith("hh-rlhf "));
        assertThat(lines).anyMatch(line -> line.startsWith("cpu "));
    }
}
