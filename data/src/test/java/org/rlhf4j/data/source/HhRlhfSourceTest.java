package org.rlhf4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.DropReasons;
import org.rlhf4j.data.TestFiles;

class HhRlhfSourceTest {

    private static final String BUNDLED = "bundled/datasets/hh-rlhf-harmless-base/test.jsonl.gz";

    @TempDir
    Path dir;

    private final HhRlhfSource source = new HhRlhfSource();

    @Test
    void splitsSharedPrefixAndReplies() throws IOException {
        String prefix = "\\n\\nHuman: Hi\\n\\nAssistant: Hello, how can I help?\\n\\nHuman: Tell me a joke.";
        Path file = TestFiles.write(dir, "hh.jsonl", "{\"chosen\": \"" + prefix + "\\n\\nAssistant: Why did the chicken"
                + "\", \"rejected\": \"" + prefix + "\\n\\nAssistant:  No.\"}\n");

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        PreferencePair pair = records.get(0);
        assertThat(pair.id()).isEqualTo("1");
        assertThat(pair.prompt()).containsExactly(
                Turn.user("Hi"), Turn.assistant("Hello, how can I help?"), Turn.user("Tell me a joke."));
        assertThat(pair.chosen()).isEqualTo("Why did the chicken");
        assertThat(pair.rejected()).isEqualTo(" No.");
        assertThat(pair.magnitude()).isEqualTo(1.0);
    }

    @Test
    void differentPrefixesAreMalformed() {
        Path file = TestFiles.write(dir, "hh.jsonl", "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: A\", "
                + "\"rejected\": \"\\n\\nHuman: Ho\\n\\nAssistant: B\"}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("rejected");
        assertThat(error.getMessage()).contains("expected the same conversation as field 'chosen'");
        assertThat(error.getMessage()).contains("differ from character 11");
    }

    @Test
    void extraAssistantTurnIsMalformed() {
        // The chosen dialogue has two assistant turns at the end, so its prefix ends with an assistant turn.
        Path file = TestFiles.write(dir, "hh.jsonl",
                "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: A\\n\\nAssistant: C\", "
                        + "\"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: B\"}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("rejected");
    }

    @Test
    void missingAssistantMarkerIsMalformed() {
        Path file = TestFiles.write(dir, "hh.jsonl",
                "{\"chosen\": \"\\n\\nHuman: Hi\", \"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: B\"}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("chosen");
        assertThat(error.getMessage()).contains("\\n\\nAssistant:");
    }

    @Test
    void identicalRepliesAreDropped() throws IOException {
        String dialogue = "\\n\\nHuman: Hi\\n\\nAssistant: Same";
        Path file = TestFiles.write(dir, "hh.jsonl", "{\"chosen\": \"" + dialogue + "\", \"rejected\": \"" + dialogue
                + "\"}\n");

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.strict());

        assertThat(reader.stats().dropped(DropReasons.IDENTICAL)).isEqualTo(1);
    }

    @Test
    void bundledHarmlessBaseFailsOnFirstMismatch() {
        Path file = TestFiles.requireDataFile(BUNDLED);

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(1255);
        assertThat(error.field()).isEqualTo("rejected");
    }

    @Test
    void bundledHarmlessBaseCounts() throws IOException {
        // Counted independently with Python: 2,312 rows; 5 rows (lines 1255, 1689, 1951, 1953, 2037)
        // whose dialogues differ before the last assistant turn; no identical replies.
        Path file = TestFiles.requireDataFile(BUNDLED);
        List<PreferencePair> records = new ArrayList<>();
        RecordReader<PreferencePair> reader = source.open(file, ReadOptions.lenient());
        try (reader) {
            reader.forEachRemaining(records::add);
        }

        assertThat(reader.stats().read()).isEqualTo(2312);
        assertThat(reader.stats().blank()).isZero();
        assertThat(reader.stats().kept()).isEqualTo(2307);
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(5);
        assertThat(reader.stats().droppedByReason()).containsOnlyKeys(DropReasons.MALFORMED);
        assertThat(records).hasSize(2307);
        assertThat(records).noneMatch(pair -> pair.id().equals("1255"));
        assertThat(records).allSatisfy(pair -> {
            assertThat(pair.prompt()).isNotEmpty();
            assertThat(pair.prompt().get(pair.prompt().size() - 1).role()).isEqualTo(Turn.Role.USER);
        });
        assertThat(records.stream().mapToInt(pair -> pair.prompt().size()).sum()).isEqualTo(9185);
    }
}
