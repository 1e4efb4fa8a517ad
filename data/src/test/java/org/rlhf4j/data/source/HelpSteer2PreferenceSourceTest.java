package org.rlhf4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.DropReasons;
import org.rlhf4j.data.TestFiles;

class HelpSteer2PreferenceSourceTest {

    @TempDir
    Path dir;

    private final HelpSteer2PreferenceSource source = new HelpSteer2PreferenceSource();

    /**
     * Strength to (chosen, magnitude): a negative strength means response_1 is better, and the
     * magnitude is |strength| (known fault K08: a wrong sign or magnitude fails here).
     */
    @ParameterizedTest(name = "strength {0} chooses {1} with magnitude {2}")
    @CsvSource({
        "-3, first, 3",
        "-2, first, 2",
        "-1, first, 1",
        "1, second, 1",
        "2, second, 2",
        "3, second, 3"
    })
    void strengthMapsToChosenAndMagnitude(int strength, String expectedChosen, double expectedMagnitude)
            throws IOException {
        Path file = TestFiles.write(dir, "k08.jsonl", row("train", "first", "second", strength));

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        PreferencePair pair = records.get(0);
        assertThat(pair.chosen()).isEqualTo(expectedChosen);
        assertThat(pair.rejected()).isEqualTo(expectedChosen.equals("first") ? "second" : "first");
        assertThat(pair.magnitude()).isEqualTo(expectedMagnitude);
    }

    @Test
    void idIsSplitAndLine() throws IOException {
        Path file = TestFiles.write(dir, "ids.jsonl",
                row("train", "A", "B", 1) + "\n" + row("val", "C", "D", -2));

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).extracting(PreferencePair::id).containsExactly("train:1", "val:3");
        assertThat(records).extracting(PreferencePair::subset).containsOnlyNulls();
    }

    @Test
    void trainFilterDropsOtherSplits() throws IOException {
        Path file = TestFiles.write(dir, "splits.jsonl",
                row("train", "A", "B", 1) + row("val", "C", "D", 1) + row("test", "E", "F", 1));

        RecordReader<PreferencePair> reader =
                TestFiles.drain(source.withSplitFilter(SplitFilter.TRAIN), file, ReadOptions.strict());
        List<PreferencePair> records =
                TestFiles.readAll(source.withSplitFilter(SplitFilter.TRAIN), file, ReadOptions.strict());

        assertThat(records).extracting(PreferencePair::id).containsExactly("train:1");
        assertThat(reader.stats().dropped(DropReasons.OTHER_SPLIT)).isEqualTo(2);
    }

    @Test
    void validationFilterKeepsEverySplitButTrain() throws IOException {
        Path file = TestFiles.write(dir, "splits.jsonl",
                row("train", "A", "B", 1) + row("val", "C", "D", 1) + row("test", "E", "F", 1));

        List<PreferencePair> records = TestFiles.readAll(
                new HelpSteer2PreferenceSource(SplitFilter.VALIDATION), file, ReadOptions.strict());

        assertThat(records).extracting(PreferencePair::id).containsExactly("val:2", "test:3");
    }

    @Test
    void filteredRowIsStillValidated() {
        Path file = TestFiles.write(dir, "splits.jsonl",
                "{\"split\": \"val\", \"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", "
                        + "\"preference_strength\": 7}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class, () -> TestFiles.readAll(
                source.withSplitFilter(SplitFilter.TRAIN), file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("preference_strength");
    }

    @Test
    void missingSplitIsAccepted() throws IOException {
        Path file = TestFiles.write(dir, "nosplit.jsonl",
                "{\"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", \"preference_strength\": 1}\n");

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());
        List<PreferencePair> trainOnly = TestFiles.readAll(source.withSplitFilter(SplitFilter.TRAIN), file,
                ReadOptions.strict());

        assertThat(records).hasSize(1);
        assertThat(records.get(0).id()).isEqualTo("line:1");
        assertThat(records.get(0).chosen()).isEqualTo("B");
        assertThat(trainOnly).isEmpty();
    }

    @Test
    void multiTurnFixtureSplitsPrompt() throws IOException {
        Path file = TestFiles.resource(getClass(), "helpsteer2_preference_multiturn.jsonl.gz");

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.strict());
        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        PreferencePair pair = records.get(0);
        assertThat(pair.id()).isEqualTo("train:1");
        assertThat(pair.prompt()).containsExactly(
                Turn.user("What is the boiling point of water?"),
                Turn.assistant("At sea level it is 100 °C."),
                Turn.user("And in Fahrenheit?"));
        assertThat(pair.chosen()).isEqualTo("It is 212 °F.");
        assertThat(pair.rejected()).isEqualTo("It is 100 °F.");
        assertThat(pair.magnitude()).isEqualTo(2.0);
        assertThat(reader.stats().dropped(DropReasons.TIE)).isEqualTo(1);
    }

    @Test
    void cardExampleChoosesSecondResponse() throws IOException {
        Path file = TestFiles.requireDataFile("shared/data/helpsteer2_card_examples/preference_example.jsonl");

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        PreferencePair pair = records.get(0);
        assertThat(pair.id()).isEqualTo("train:1");
        assertThat(pair.magnitude()).isEqualTo(1.0);
        assertThat(pair.chosen()).startsWith("A signal is a message that is conveyed from a sender to a receiver");
        assertThat(pair.rejected()).startsWith("A signal is a form of energy that is used to transmit information");
        assertThat(pair.prompt()).containsExactly(
                Turn.user("Define Signal Discuss its various properties with the help of diagram"));
    }

    @Test
    void validationSampleWithoutStrengthFails() {
        Path file = TestFiles.requireDataFile(
                "shared/data/helpsteer2_preference_val_sample/preference_val_sample.jsonl");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(1);
        assertThat(error.field()).isEqualTo("preference_strength");
        assertThat(error.getMessage()).contains("required field is missing");
    }

    @Test
    void describesItself() {
        assertThat(source.name()).isEqualTo("helpsteer2-preference");
        assertThat(source.kind().recordType()).isEqualTo(PreferencePair.class);
    }

    private static String row(String split, String response1, String response2, int strength) {
        return "{\"split\": \"" + split + "\", \"prompt\": \"Q\", \"response_1\": \"" + response1
                + "\", \"response_2\": \"" + response2 + "\", \"preference_strength\": " + strength + "}\n";
    }
}
