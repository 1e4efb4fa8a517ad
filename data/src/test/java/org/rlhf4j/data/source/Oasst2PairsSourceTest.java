package org.rlhf4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.rlhf4j.data.source.OasstFixtures.assistant;
import static org.rlhf4j.data.source.OasstFixtures.message;
import static org.rlhf4j.data.source.OasstFixtures.prompter;
import static org.rlhf4j.data.source.OasstFixtures.tree;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.DropReasons;
import org.rlhf4j.data.TestFiles;

class Oasst2PairsSourceTest {

    @TempDir
    Path dir;

    private final Oasst2PairsSource source = new Oasst2PairsSource();

    private Path write(String... lines) {
        return TestFiles.write(dir, "trees.jsonl", String.join("\n", lines) + "\n");
    }

    private static String ranked(String id, int rank) {
        return assistant(id, "text of " + id, rank, "{}");
    }

    @Test
    void adjacentRanksGivePairs() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q", ranked("c", 2), ranked("a", 0), ranked("b", 1))));

        List<PreferencePair> pairs = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(pairs).extracting(PreferencePair::id).containsExactly("a>b", "b>c");
        assertThat(pairs.get(0).chosen()).isEqualTo("text of a");
        assertThat(pairs.get(0).rejected()).isEqualTo("text of b");
        assertThat(pairs.get(0).prompt()).containsExactly(Turn.user("Q"));
        assertThat(pairs.get(0).magnitude()).isEqualTo(1.0);
        assertThat(pairs.get(0).subset()).isNull();
    }

    @Test
    void gapInRanksStillPairsNeighbours() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q", ranked("a", 0), ranked("c", 3))));

        List<PreferencePair> pairs = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(pairs).extracting(PreferencePair::id).containsExactly("a>c");
    }

    @Test
    void sharedRankPairsOnlyWithNextRank() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q", ranked("a", 0), ranked("b", 0), ranked("c", 1))));

        List<PreferencePair> pairs = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(pairs).extracting(PreferencePair::id).containsExactly("a>c", "b>c");
    }

    @Test
    void deletedReplyLeftOutBeforePairing() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q",
                message("a", "assistant", "text of a", "en", true, 0, "{}"), ranked("b", 1), ranked("c", 2))));

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.strict());
        List<PreferencePair> pairs = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(pairs).extracting(PreferencePair::id).containsExactly("b>c");
        assertThat(reader.stats().dropped(Oasst2Source.DELETED)).isEqualTo(1);
    }

    @Test
    void unrankedAndLoneRepliesGiveNoPair() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q",
                ranked("a", 0), assistant("u", "unranked", null, "{}"),
                assistant("b", "B", null, "{}", prompter("p2", "Q2", ranked("d", 0))))));

        List<PreferencePair> pairs = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(pairs).isEmpty();
    }

    @Test
    void deeperGroupGetsWholeConversation() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q1",
                assistant("a1", "A1", null, "{}", prompter("p2", "Q2", ranked("x", 0), ranked("y", 1))))));

        List<PreferencePair> pairs = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(pairs.get(0).prompt()).containsExactly(Turn.user("Q1"), Turn.assistant("A1"), Turn.user("Q2"));
    }

    @Test
    void languageFilterNeedsBothReplies() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q", ranked("a", 0), ranked("b", 1),
                message("c", "assistant", "text of c", "de", false, 2, "{}"))));
        Oasst2PairsSource english = source.withLanguage("en");

        RecordReader<PreferencePair> reader = TestFiles.drain(english, file, ReadOptions.strict());
        List<PreferencePair> pairs = TestFiles.readAll(english, file, ReadOptions.strict());

        assertThat(pairs).extracting(PreferencePair::id).containsExactly("a>b");
        assertThat(reader.stats().dropped(Oasst2Source.OTHER_LANGUAGE)).isEqualTo(1);
    }

    @Test
    void equalTextsAreDropped() throws IOException {
        Path file = write(tree("t1", prompter("p1", "Q",
                assistant("a", "same", 0, "{}"), assistant("b", "same", 1, "{}"))));

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.strict());

        assertThat(reader.stats().kept()).isZero();
        assertThat(reader.stats().dropped(DropReasons.IDENTICAL)).isEqualTo(1);
    }

    @Test
    void repeatedTreeIsReadOnce() throws IOException {
        String line = tree("t1", prompter("p1", "Q", ranked("a", 0), ranked("b", 1)));
        Path file = write(line, line);

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.strict());

        assertThat(reader.stats().kept()).isEqualTo(1);
        assertThat(reader.stats().dropped(Oasst2Source.DUPLICATE)).isEqualTo(1);
    }

    @Test
    void negativeRankNamesPath() {
        Path file = write(tree("t1", prompter("p1", "Q", ranked("a", 0), ranked("b", -1))));

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(1);
        assertThat(error.field()).isEqualTo("prompt.replies[1].rank");
    }

    @Test
    void kindIsPreferencePairs() {
        assertThat(source.kind()).isEqualTo(RecordKind.PREFERENCE_PAIRS);
        assertThat(source.name()).isEqualTo("oasst2-pairs");
    }

    @Test
    void realFilePairCounts() throws IOException {
        Path file = TestFiles.requireDataFile(OasstFixtures.REAL_FILE);

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.strict());
        List<PreferencePair> pairs = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(reader.stats().kept()).isEqualTo(343);
        assertThat(reader.stats().dropped(Oasst2Source.DELETED)).isEqualTo(7);
        assertThat(reader.stats().dropped(Oasst2Source.DUPLICATE)).isEqualTo(8);
        assertThat(pairs.stream().map(PreferencePair::prompt).distinct().count()).isEqualTo(202);
        assertThat(pairs.get(0).id())
                .isEqualTo("6ab754aa-0f11-4dc0-b383-dd206f2e3c9d>94013473-9329-4037-a71d-6cf913c54791");
    }

    @Test
    void realFileEnglishPairCounts() throws IOException {
        Path file = TestFiles.requireDataFile(OasstFixtures.REAL_FILE);
        Oasst2PairsSource english = source.withLanguage("en");

        RecordReader<PreferencePair> reader = TestFiles.drain(english, file, ReadOptions.strict());
        List<PreferencePair> pairs = TestFiles.readAll(english, file, ReadOptions.strict());

        assertThat(reader.stats().kept()).isEqualTo(203);
        assertThat(reader.stats().dropped(Oasst2Source.OTHER_LANGUAGE)).isEqualTo(144);
        assertThat(reader.stats().dropped(Oasst2Source.DUPLICATE)).isEqualTo(4);
        assertThat(pairs.stream().map(PreferencePair::prompt).distinct().count()).isEqualTo(113);
        assertThat(pairs.get(0).prompt())
                .containsExactly(Turn.user("What are good role models for my 10 yo daughter?"));
    }
}
