package org.rlhf4j.cache.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void oddCountTakesMiddleValue() {
        Samples samples = samplesOf(3_000_000, 1_000_000, 2_000_000);

        assertThat(samples.median()).isEqualTo(2.0);
        assertThat(samples.min()).isEqualTo(1.0);
        assertThat(samples.max()).isEqualTo(3.0);
    }

    @Test
    void evenCountAveragesMiddleValues() {
        assertThat(samplesOf(4_000_000, 1_000_000, 3_000_000, 2_000_000).median()).isEqualTo(2.5);
    }

    private static Samples samplesOf(long... nanos) {
        Samples samples = new Samples();
        for (long value : nanos) {
            samples.add(value);
        }
        return samples;
    }
}
