package org.rlhf4j.models.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationBenchmarkTest {

    @Test
    void rowShowsPeerSpeedAndRatio() {
        // 32 tokens x 4 prompts = 128 tokens; medians 0.25 s and 0.1 s: 512 and 1280 tokens/s, ratio 0.4.
        GenerationBenchmark.Measurement measurement = new GenerationBenchmark.Measurement(true, 32, 4,
                List.of(0.3, 0.2, 0.25), List.of(0.1, 0.12, 0.09));

        String row = GenerationBenchmark.row(measurement, 320.0);

        assertThat(row).isEqualTo("| 32 | on | 0.250 | 512.0 | 1.60x | 0.100 | 1280.0 | 0.40x |");
    }

    @Test
    void rowWithoutPeerHasDashes() {
        GenerationBenchmark.Measurement measurement = new GenerationBenchmark.Measurement(false, 32, 4,
                List.of(0.4), List.of());

        String row = GenerationBenchmark.row(measurement, 320.0);

        assertThat(row).isEqualTo("| 32 | off | 0.400 | 320.0 | 1.00x | - | - | - |");
    }

    @Test
    void skippedPeerLineGivesReasonAndInstallCommand() {
        String line = GenerationBenchmark.peerLine(Path.of("/usr/bin/python3"), null,
                "No module named 'torch' in /usr/bin/python3");

        assertThat(line).isEqualTo("Peer skipped: No module named 'torch' in /usr/bin/python3 (install it with"
                + " `apt-get install -y python3-torch libopenblas0-pthread`).");
    }

    @Test
    void greedyLineNamesFirstDifference() {
        GenerationBenchmark.GreedyCheck check = new GenerationBenchmark.GreedyCheck(new int[] {4, 5},
                new int[] {4, 6}, 1);

        assertThat(GenerationBenchmark.greedyLine(check)).isEqualTo("Greedy check (first prompt, 2 tokens, KV cache"
                + " on): the tokens differ from index 1: rlhf4j [4, 5], peer [4, 6].");
    }
}
