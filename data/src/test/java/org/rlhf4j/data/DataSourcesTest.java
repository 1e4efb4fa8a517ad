package org.rlhf4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.api.SpiVersion;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.data.source.HelpSteer2PreferenceSource;
import org.rlhf4j.data.source.HelpSteer2Source;
import org.rlhf4j.data.source.HhRlhfSource;
import org.rlhf4j.data.source.InstructionPreferenceSource;
import org.rlhf4j.data.source.PairsSource;

class DataSourcesTest {

    @Test
    void findsEveryBuiltInSource() {
        assertThat(DataSources.names()).containsExactly(
                "helpsteer2", "helpsteer2-preference", "hh-rlhf", "instruction-preference", "oasst2", "oasst2-pairs",
                "pairs");
    }

    @Test
    void forNameReturnsMatchingClass() {
        assertThat(DataSources.forName("helpsteer2-preference")).isInstanceOf(HelpSteer2PreferenceSource.class);
        assertThat(DataSources.forName("helpsteer2")).isInstanceOf(HelpSteer2Source.class);
        assertThat(DataSources.forName("pairs")).isInstanceOf(PairsSource.class);
        assertThat(DataSources.forName("hh-rlhf")).isInstanceOf(HhRlhfSource.class);
        assertThat(DataSources.forName("instruction-preference")).isInstanceOf(InstructionPreferenceSource.class);
    }

    @Test
    void unknownNameListsKnownNames() {
        assertThatThrownBy(() -> DataSources.forName("helpsteer3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'helpsteer3'")
                .hasMessageContaining("hh-rlhf")
                .hasMessageContaining("instruction-preference");
    }

    @Test
    void typedLookupChecksRecordType() {
        DataSource<PreferencePair> pairs = DataSources.forName("pairs", PreferencePair.class);

        assertThat(pairs.name()).isEqualTo("pairs");
        assertThatThrownBy(() -> DataSources.forName("pairs", RatedResponse.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("produces PreferencePair records, not RatedResponse");
    }

    @Test
    void namesFollowPluginRules() {
        for (String name : DataSources.names()) {
            DataSource<?> source = DataSources.forName(name);

            assertThat(name).matches(Plugin.NAME_PATTERN);
            assertThat(source.description()).as(name).isNotBlank();
            assertThat(source.spiVersion()).as(name).isEqualTo(SpiVersion.CURRENT);
        }
    }
}
