package org.rlhf4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpiVersionTest {

    @Test
    void sameMajorOlderMinorIsCompatible() {
        assertThat(new SpiVersion(1, 0).isCompatibleWith(new SpiVersion(1, 2))).isTrue();
    }

    @Test
    void newerMinorIsIncompatible() {
        assertThat(new SpiVersion(1, 3).isCompatibleWith(new SpiVersion(1, 2))).isFalse();
    }

    @Test
    void otherMajorIsIncompatible() {
        assertThat(new SpiVersion(2, 0).isCompatibleWith(new SpiVersion(1, 0))).isFalse();
        assertThat(new SpiVersion(0, 9).isCompatibleWith(new SpiVersion(1, 0))).isFalse();
    }

    @Test
    void pluginNamePatternAcceptsLowercaseHyphenated() {
        assertThat("scaled-bt").matches(Plugin.NAME_PATTERN);
        assertThat("bt2").matches(Plugin.NAME_PATTERN);
        assertThat("Scaled-BT").doesNotMatch(Plugin.NAME_PATTERN);
        assertThat("-bt").doesNotMatch(Plugin.NAME_PATTERN);
        assertThat("bt-").doesNotMatch(Plugin.NAME_PATTERN);
        assertThat("margin--bt").doesNotMatch(Plugin.NAME_PATTERN);
    }
}
