package org.rlhf4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;
import static org.rlhf4j.data.source.OasstFixtures.assistant;
import static org.rlhf4j.data.source.OasstFixtures.labels;
import static org.rlhf4j.data.source.OasstFixtures.message;
import static org.rlhf4j.data.source.OasstFixtures.prompter;
import static org.rlhf4j.data.source.OasstFixtures.tree;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.DropReasons;
import org.rlhf4j.data.TestFiles;

class Oasst2SourceTest {

    @TempDir
    Path dir;

    private final Oasst2Source source = new Oasst2Source();

    private Path write(String... lines) {
        return TestFiles.write(dir, "trees.jsonl", String.join("\n", lines) + "\n");
    }

    @Test
    void labelledRepliesBecomeRecords() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q1",
                assistant("a1", "A1", 0, labels("helpfulness", 0.5, 2, "quality", 0.75, 4),
                        prompter("p2", "Q2", assistant("a3", "A3", null, labels("quality", 1.0, 3)))),
                assistant("a2", "A2", 1, "{}"))));

        List<RatedResponse> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).extracting(RatedResponse::id).containsExactly("a1", "a3");
        assertThat(records.get(0).prompt()).containsExactly(Turn.user("Q1"));
        assertThat(records.get(0).response()).isEqualTo("A1");
        assertThat(records.get(0).ratings().keySet()).containsExactly("quality", "helpfulness");
        assertThat(records.get(0).ratings().get("quality")).isEqualTo(0.75);
        assertThat(records.get(0).ratings().get("helpfulness")).isEqualTo(0.5);
        assertThat(records.get(1).prompt()).containsExactly(Turn.user("Q1"), Turn.assistant("A1"), Turn.user("Q2"));
        assertThat(records.get(1).ratings()).containsOnlyKeys("quality");
    }

    @Test
    void criteriaNeverReachesRatings() throws IOException {
        // Every fixture message carries CRITERIA {quality: 0.123, Relevance, Insight, CRITERIA_final_score}.
        Path file = write(tree("t1", prompter("p1", "Q",
                assistant("a1", "A1", null, labels("quality", 0.5, 3)),
                assistant("a2", "A2", null, "{}"),
                assistant("a3", "A3", null, "null"),
                assistant("a4", "A4", null, labels("humor", 0.25, 2)))));

        RecordReader<RatedResponse> reader = TestFiles.drain(source, file, ReadOptions.strict());
        List<RatedResponse> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).extracting(RatedResponse::id).containsExactly("a1", "a4");
        assertThat(records.get(0).ratings()).containsOnlyKeys("quality");
        assertThat(records.get(0).ratings().get("quality")).isEqualTo(0.5);
        assertThat(records.get(1).ratings()).containsOnlyKeys("humor");
        assertThat(reader.stats().dropped(Oasst2Source.UNLABELLED)).isEqualTo(2);
    }

    @Test
    void otherLabelsFollowKnownOnes() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q",
                assistant("a1", "A", null, labels("novelty", 0.25, 1, "spam", 0.0, 3, "quality", 1, 3)))));

        List<RatedResponse> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records.get(0).ratings().keySet()).containsExactly("quality", "spam", "novelty");
        assertThat(records.get(0).ratings().get("quality")).isEqualTo(1.0);
    }

    @Test
    void deletedMessageDropsRepliesBelow() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q",
                assistant("a1", "A1", null, labels("quality", 0.5, 3),
                        message("p2", "prompter", "Q2", "en", true, null, "{}",
                                assistant("a2", "A2", null, labels("quality", 0.5, 3)))),
                message("a3", "assistant", "A3", "en", true, null, labels("quality", 0.5, 3)))));

        RecordReader<RatedResponse> reader = TestFiles.drain(source, file, ReadOptions.strict());

        assertThat(reader.stats().kept()).isEqualTo(1);
        assertThat(reader.stats().dropped(Oasst2Source.DELETED)).isEqualTo(2);
    }

    @Test
    void languageFilterKeepsMatchingReplies() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q",
                assistant("a1", "A1", null, labels("quality", 0.5, 3)),
                message("a2", "assistant", "A2", "es", false, null, labels("quality", 0.5, 3)),
                message("a3", "assistant", "A3", "EN", false, null, labels("quality", 0.5, 3)))));

        RecordReader<RatedResponse> reader = TestFiles.drain(source.withLanguage("en"), file, ReadOptions.strict());
        List<RatedResponse> records = TestFiles.readAll(source.withLanguage("en"), file, ReadOptions.strict());

        assertThat(records).extracting(RatedResponse::id).containsExactly("a1", "a3");
        assertThat(reader.stats().dropped(Oasst2Source.OTHER_LANGUAGE)).isEqualTo(1);
    }

    @Test
    void repeatedTreeIsReadOnce() throws IOException {
        String line = tree("t1", prompter("p1", "Q", assistant("a1", "A1", null, labels("quality", 0.5, 3))));
        Path file = write(line, line);

        RecordReader<RatedResponse> reader = TestFiles.drain(source, file, ReadOptions.strict());

        assertThat(reader.stats().read()).isEqualTo(2);
        assertThat(reader.stats().kept()).isEqualTo(1);
        assertThat(reader.stats().dropped(Oasst2Source.DUPLICATE)).isEqualTo(1);
    }

    @Test
    void minRaterCountLeavesOutLabels() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q",
                assistant("a1", "A1", null, labels("quality", 0.5, 3, "humor", 0.25, 1)),
                assistant("a2", "A2", null, labels("quality", 0.5, 1)))));

        RecordReader<RatedResponse> reader =
                TestFiles.drain(source.withMinRaterCount(2), file, ReadOptions.strict());
        List<RatedResponse> records = TestFiles.readAll(source.withMinRaterCount(2), file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        assertThat(records.get(0).ratings()).containsOnlyKeys("quality");
        assertThat(reader.stats().dropped(Oasst2Source.UNLABELLED)).isEqualTo(1);
    }

    @Test
    void zeroRaterLabelIsLeftOut() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q",
                assistant("a1", "A1", null, labels("quality", 0, 0, "humor", 0.25, 2)))));

        List<RatedResponse> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records.get(0).ratings()).containsOnlyKeys("humor");
    }

    @Test
    void badLabelValueNamesFileLineAndPath() {
        String good = tree("t1", prompter("p1", "Q", assistant("a1", "A", null, labels("quality", 0.5, 3))));
        String bad = tree("t2", prompter("p2", "Q", assistant("a2", "A", null, labels("quality", 1.5, 3))));
        Path file = write(good, bad);

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.file()).isEqualTo(file);
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.field()).isEqualTo("prompt.replies[0].labels.quality.value");
        assertThat(error.getMessage()).contains("expected a number from 0 to 1, got 1.5 (out of range)");
    }

    @Test
    void badFieldFormsAreRejected() {
        List<String[]> cases = List.of(
                new String[] {labels("quality", "\"0.5\"", 3), "prompt.replies[0].labels.quality.value"},
                new String[] {labels("quality", 0.5, "3.0"), "prompt.replies[0].labels.quality.count"},
                new String[] {labels("quality", 0.5, -1), "prompt.replies[0].labels.quality.count"},
                new String[] {"{\"quality\": 0.5}", "prompt.replies[0].labels.quality"},
                new String[] {"[]", "prompt.replies[0].labels"});
        for (String[] badCase : cases) {
            Path file = write(tree("t1", prompter("p1", "Q", assistant("a1", "A", null, badCase[0]))));

            DataFormatException error = catchThrowableOfType(DataFormatException.class,
                    () -> TestFiles.readAll(source, file, ReadOptions.strict()));

            assertThat(error).as(badCase[0]).isNotNull();
            assertThat(error.field()).as(badCase[0]).isEqualTo(badCase[1]);
        }
    }

    @Test
    void unknownRoleIsRejected() {
        Path file = write(tree("t1", prompter("p1", "Q", message("a1", "user", "A", "en", false, null, "{}"))));

        assertThatThrownBy(() -> TestFiles.readAll(source, file, ReadOptions.strict()))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(":1: field 'prompt.replies[0].role'")
                .hasMessageContaining("expected \"prompter\" or \"assistant\", got a string \"user\"");
    }

    @Test
    void assistantReplyToAssistantIsRejected() {
        Path file = write(tree("t1", prompter("p1", "Q",
                assistant("a1", "A", null, "{}", assistant("a2", "B", null, labels("quality", 0.5, 3))))));

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("prompt.replies[0].replies[0].role");
    }

    @Test
    void missingRootIsRejected() {
        Path file = write("{\"message_tree_id\": \"t1\"}");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("prompt");
    }

    @Test
    void lenientReadSkipsBadTree() throws IOException {
        String good = tree("t1", prompter("p1", "Q", assistant("a1", "A", null, labels("quality", 0.5, 3))));
        String bad = tree("t2", prompter("p2", "Q", assistant("a2", "A", null, labels("quality", 2, 3))));
        Path file = write(bad, "", good);

        RecordReader<RatedResponse> reader = TestFiles.drain(source, file, ReadOptions.lenient());

        assertThat(reader.stats().read()).isEqualTo(3);
        assertThat(reader.stats().blank()).isEqualTo(1);
        assertThat(reader.stats().kept()).isEqualTo(1);
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(1);
    }

    @Test
    void kindIsRatedResponses() {
        assertThat(source.kind()).isEqualTo(RecordKind.RATED_RESPONSES);
        assertThat(source.name()).isEqualTo("oasst2");
    }

    @Test
    void blankLanguageIsRejected() {
        assertThatThrownBy(() -> source.withLanguage(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("language");
    }

    @Test
    void realFileCountsEveryReply() throws IOException {
        Path file = TestFiles.requireDataFile(OasstFixtures.REAL_FILE);

        RecordReader<RatedResponse> reader = TestFiles.drain(source, file, ReadOptions.strict());
        List<RatedResponse> records = TestFiles.readAll(source, file, ReadOptions.strict());

        // 709 assistant replies: 649 kept, 38 deleted, 6 without labels, 16 in trees that appear twice in the file.
        assertThat(reader.stats().read()).isEqualTo(551);
        assertThat(reader.stats().kept()).isEqualTo(649);
        assertThat(reader.stats().dropped(Oasst2Source.DELETED)).isEqualTo(38);
        assertThat(reader.stats().dropped(Oasst2Source.UNLABELLED)).isEqualTo(6);
        assertThat(reader.stats().dropped(Oasst2Source.DUPLICATE)).isEqualTo(16);
        assertThat(records.stream().filter(r -> r.ratings().containsKey("quality")).count()).isEqualTo(649);
        assertThat(records.stream().filter(r -> r.ratings().containsKey("helpfulness")).count()).isEqualTo(646);
        assertThat(records.stream().map(RatedResponse::id).distinct().count()).isEqualTo(649);
        assertThat(records.stream().flatMap(r -> r.ratings().keySet().stream()).distinct())
                .allMatch(Oasst2Source.ATTRIBUTES::contains);
    }

    @Test
    void realFileEnglishReplies() throws IOException {
        Path file = TestFiles.requireDataFile(OasstFixtures.REAL_FILE);
        Oasst2Source english = source.withLanguage("en");

        RecordReader<RatedResponse> reader = TestFiles.drain(english, file, ReadOptions.strict());
        List<RatedResponse> records = TestFiles.readAll(english, file, ReadOptions.strict());

        assertThat(reader.stats().kept()).isEqualTo(352);
        assertThat(reader.stats().dropped(Oasst2Source.OTHER_LANGUAGE)).isEqualTo(306);
        assertThat(reader.stats().dropped(Oasst2Source.DUPLICATE)).isEqualTo(7);
        RatedResponse first = records.get(0);
        assertThat(first.id()).isEqualTo("2087576c-c4e7-4b35-9150-24359d152d83");
        assertThat(first.prompt()).containsExactly(Turn.user("What are good role models for my 10 yo daughter?"));
        assertThat(first.response()).startsWith("Here are some good role models for your 10-year-old daughter:");
        assertThat(first.ratings().get("quality")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(first.ratings().get("helpfulness")).isCloseTo(0.5833333333333334, within(1e-12));
        assertThat(first.ratings()).hasSize(13);
    }

    @Test
    void realFileMultiTurnPrompt() throws IOException {
        Path file = TestFiles.requireDataFile(OasstFixtures.REAL_FILE);

        List<RatedResponse> records = TestFiles.readAll(source.withLanguage("en"), file, ReadOptions.strict());

        RatedResponse reply = records.stream()
                .filter(r -> r.id().equals("16915e3f-40c7-4960-bea8-0a57e55fa40f")).findFirst().orElseThrow();
        assertThat(reply.prompt()).extracting(Turn::role)
                .containsExactly(Turn.Role.USER, Turn.Role.ASSISTANT, Turn.Role.USER);
        assertThat(reply.prompt().get(0).text()).isEqualTo("What are good role models for my 10 yo daughter?");
        assertThat(reply.prompt().get(2).text()).startsWith("I want her to have a great fem");
    }
}
