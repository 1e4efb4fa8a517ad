package org.rlhf4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.TestFiles;

class HelpSteer2SourceTest {

    @TempDir
    Path dir;

    private final HelpSteer2Source source = new HelpSteer2Source();

    @Test
    void cardExampleHasAllRatings() throws IOException {
        Path file = TestFiles.requireDataFile("shared/data/helpsteer2_card_examples/ratings_example.jsonl");

        List<RatedResponse> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        RatedResponse response = records.get(0);
        assertThat(response.id()).isEqualTo("1");
        assertThat(response.prompt()).containsExactly(Turn.user("c#"));
        assertThat(response.response()).startsWith("C# is a high-level, object-oriented programming language");
        assertThat(response.ratings().keySet())
                .containsExactly("helpfulness", "correctness", "coherence", "complexity", "verbosity");
        assertThat(response.ratings().get("helpfulness")).isEqualTo(3.0);
        assertThat(response.ratings().get("correctness")).isEqualTo(4.0);
        assertThat(response.ratings().get("coherence")).isEqualTo(4.0);
        assertThat(response.ratings().get("complexity")).isEqualTo(2.0);
        assertThat(response.ratings().get("verbosity")).isEqualTo(1.0);
    }

    @Test
    void multiTurnFixtureSplitsPrompt() throws IOException {
        Path file = TestFiles.resource(getClass(), "helpsteer2_multiturn.jsonl.gz");

        List<RatedResponse> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        assertThat(records.get(0).prompt()).containsExactly(
                Turn.user("Write a haiku about rain."),
                Turn.assistant("Soft rain on the roof"),
                Turn.user("Now make it about snow."));
        assertThat(records.get(0).ratings().get("verbosity")).isEqualTo(0.0);
        assertThat(records.get(0).ratings().get("coherence")).isEqualTo(4.0);
    }

    @Test
    void missingAttributeIsAbsent() throws IOException {
        Path file = TestFiles.write(dir, "partial.jsonl",
                "{\"prompt\": \"Q\", \"response\": \"A\", \"helpfulness\": 4, \"verbosity\": null}\n");

        List<RatedResponse> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records.get(0).ratings()).containsOnlyKeys("helpfulness");
        assertThat(records.get(0).ratings().get("helpfulness")).isEqualTo(4.0);
    }

    @Test
    void ratingOutOfRangeIsRejected() {
        for (String value : List.of("5", "-1")) {
            Path file = TestFiles.write(dir, "range.jsonl",
                    "{\"prompt\": \"Q\", \"response\": \"A\", \"correctness\": " + value + "}\n");

            DataFormatException error = catchThrowableOfType(DataFormatException.class,
                    () -> TestFiles.readAll(source, file, ReadOptions.strict()));

            assertThat(error.field()).as(value).isEqualTo("correctness");
            assertThat(error.getMessage()).as(value).contains("expected an integer from 0 to 4");
        }
    }

    @Test
    void ratingOfWrongTypeIsRejected() {
        for (String value : List.of("\"3\"", "3.0", "false", "{}")) {
            Path file = TestFiles.write(dir, "type.jsonl",
                    "{\"prompt\": \"Q\", \"response\": \"A\", \"coherence\": " + value + "}\n");

            DataFormatException error = catchThrowableOfType(DataFormatException.class,
                    () -> TestFiles.readAll(source, file, ReadOptions.strict()));

            assertThat(error.field()).as(value).isEqualTo("coherence");
        }
    }

    @Test
    void missingResponseIsRejected() {
        Path file = TestFiles.write(dir, "noresponse.jsonl", "{\"prompt\": \"Q\", \"helpfulness\": 1}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("response");
    }

    @Test
    void describesItself() {
        assertThat(source.name()).isEqualTo("helpsteer2");
        assertThat(source.kind()).isEqualTo(RecordKind.RATED_RESPONSES);
    }
}
