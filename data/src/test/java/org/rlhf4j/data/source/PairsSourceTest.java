package org.rlhf4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.TestFiles;

class PairsSourceTest {

    @TempDir
    Path dir;

    private final PairsSource source = new PairsSource();

    @Test
    void rewardBenchFixtureKeepsSubsetAndId() throws IOException {
        Path file = TestFiles.resource(getClass(), "rewardbench_pairs.jsonl.gz");

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).hasSize(2);
        PreferencePair first = records.get(0);
        assertThat(first.id()).isEqualTo("3021");
        assertThat(first.subset()).isEqualTo("hep-python");
        assertThat(first.subsetName()).contains("hep-python");
        assertThat(first.prompt()).containsExactly(Turn.user("How do I sort a list in Python?"));
        assertThat(first.chosen()).isEqualTo("Use sorted(my_list) or my_list.sort().");
        assertThat(first.rejected()).isEqualTo("Python lists cannot be sorted.");
        assertThat(first.magnitude()).isEqualTo(1.0);
        assertThat(records.get(1).subset()).isEqualTo("alpacaeval-easy");
    }

    @Test
    void idFallsBackToLineNumber() throws IOException {
        Path file = TestFiles.write(dir, "noid.jsonl", "\n{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\"}\n"
                + "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\", \"id\": null, \"subset\": null}\n");

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).extracting(PreferencePair::id).containsExactly("2", "3");
        assertThat(records).extracting(PreferencePair::subset).containsOnlyNulls();
    }

    @Test
    void stringIdIsKept() throws IOException {
        Path file = TestFiles.write(dir, "id.jsonl",
                "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\", \"id\": \"abc-7\"}\n");

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records.get(0).id()).isEqualTo("abc-7");
    }

    @Test
    void fractionalIdIsRejected() {
        Path file = TestFiles.write(dir, "id.jsonl",
                "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\", \"id\": 1.5}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("id");
    }

    @Test
    void subsetOfWrongTypeIsRejected() {
        Path file = TestFiles.write(dir, "subset.jsonl",
                "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\", \"subset\": 3}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("subset");
        assertThat(error.getMessage()).contains("expected a string or null, got a number 3");
    }

    @Test
    void promptOfWrongTypeIsRejected() {
        Path file = TestFiles.write(dir, "prompt.jsonl",
                "{\"prompt\": [\"Q\"], \"chosen\": \"A\", \"rejected\": \"B\"}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("prompt");
        assertThat(error.getMessage()).contains("expected a string, got an array");
    }
}
