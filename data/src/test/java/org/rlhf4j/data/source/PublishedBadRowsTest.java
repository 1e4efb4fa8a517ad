package org.rlhf4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordReader;

/** The bad-input rows exactly as written, with no split field. */
class PublishedBadRowsTest {

    @Test
    void outOfRangeStrengthNamesStrength(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m04.jsonl");
        Files.writeString(file, "{\"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", \"preference_strength\": 5}\n");

        assertThatThrownBy(() -> new HelpSteer2PreferenceSource().open(file, ReadOptions.strict()).readAll())
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("m04.jsonl:1")
                .hasMessageContaining("preference_strength");
    }

    @Test
    void tieWithoutSplitCountsAsTie(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m06.jsonl");
        Files.writeString(file, "{\"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", \"preference_strength\": 0}\n"
                + "{\"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", \"preference_strength\": -2}\n");

        RecordReader<PreferencePair> reader = new HelpSteer2PreferenceSource().open(file, ReadOptions.lenient());
        List<PreferencePair> pairs = reader.readAll();

        assertThat(pairs).hasSize(1);
        assertThat(pairs.get(0).chosen()).isEqualTo("A");
        assertThat(pairs.get(0).magnitude()).isEqualTo(2.0);
        assertThat(pairs.get(0).id()).isEqualTo("line:2");
        assertThat(reader.stats().dropped("tie")).isEqualTo(1);
        assertThat(reader.stats().dropped("malformed")).isZero();
    }
}
