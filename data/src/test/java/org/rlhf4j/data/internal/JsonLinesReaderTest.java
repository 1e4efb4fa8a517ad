package org.rlhf4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.data.DropReasons;
import org.rlhf4j.data.TestFiles;
import org.rlhf4j.data.source.HelpSteer2PreferenceSource;
import org.rlhf4j.data.source.PairsSource;

/** Shared JSON Lines behaviour, checked through the pairs and HelpSteer2-Preference sources. */
class JsonLinesReaderTest {

    private static final String GOOD_PAIR = "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\"}";
    private static final String M01_LINE =
            "{\"prompt\": \"Hi\", \"response_1\": \"Hello\", \"response_2\": \"Yo\", \"preference_strength\": 2";
    private static final String GOOD_PREFERENCE =
            "{\"split\": \"train\", \"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", "
                    + "\"preference_strength\": 1}";

    @TempDir
    Path dir;

    private final PairsSource pairs = new PairsSource();
    private final HelpSteer2PreferenceSource preferences = new HelpSteer2PreferenceSource();

    @Test
    void syntaxErrorNamesLineAndColumn() {
        Path file = TestFiles.write(dir, "m01.jsonl",
                GOOD_PREFERENCE + "\n" + M01_LINE + "\n" + GOOD_PREFERENCE + "\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(preferences, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.file()).isEqualTo(file);
        assertThat(error.getMessage()).contains(file + ":2:");
        assertThat(error.getMessage()).contains("column 85");
        assertThat(error.getMessage()).contains("End of input");
    }

    @Test
    void syntaxErrorSkipReadsNextLineAlone() throws IOException {
        // M01: the unterminated line must not be joined with the line after it.
        String next = "{\"split\": \"val\", \"prompt\": \"Q2\", \"response_1\": \"C\", \"response_2\": \"D\", "
                + "\"preference_strength\": -1}";
        Path file = TestFiles.write(dir, "m01.jsonl", M01_LINE + "\n" + next + "\n");

        RecordReader<PreferencePair> reader = TestFiles.drain(preferences, file, ReadOptions.lenient());
        List<PreferencePair> records = TestFiles.readAll(preferences, file, ReadOptions.lenient());

        assertThat(records).hasSize(1);
        assertThat(records.get(0).id()).isEqualTo("val:2");
        assertThat(records.get(0).chosen()).isEqualTo("C");
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(1);
        assertThat(reader.stats().read()).isEqualTo(2);
    }

    @Test
    void blankLinesAreCountedNotErrors() throws IOException {
        // M02: empty and whitespace-only lines, and a trailing newline at the end of the file.
        Path file = TestFiles.write(dir, "m02.jsonl", "\n" + GOOD_PAIR + "\n   \n\t \t\n" + GOOD_PAIR + "\n");

        RecordReader<PreferencePair> reader = TestFiles.drain(pairs, file, ReadOptions.strict());

        assertThat(reader.stats().read()).isEqualTo(5);
        assertThat(reader.stats().blank()).isEqualTo(3);
        assertThat(reader.stats().kept()).isEqualTo(2);
        assertThat(reader.stats().droppedByReason()).isEmpty();
    }

    @Test
    void lineNumbersCountBlankLines() throws IOException {
        Path file = TestFiles.write(dir, "numbers.jsonl", "\n\n" + GOOD_PAIR + "\n");

        List<PreferencePair> records = TestFiles.readAll(pairs, file, ReadOptions.strict());

        assertThat(records).extracting(PreferencePair::id).containsExactly("3");
    }

    @Test
    void trailingNewlineMakesNoPhantomRecord() throws IOException {
        Path withNewline = TestFiles.write(dir, "a.jsonl", GOOD_PAIR + "\n");
        Path withoutNewline = TestFiles.write(dir, "b.jsonl", GOOD_PAIR);

        RecordReader<PreferencePair> first = TestFiles.drain(pairs, withNewline, ReadOptions.strict());
        RecordReader<PreferencePair> second = TestFiles.drain(pairs, withoutNewline, ReadOptions.strict());

        assertThat(first.stats().read()).isEqualTo(1);
        assertThat(first.stats().kept()).isEqualTo(1);
        assertThat(second.stats().read()).isEqualTo(1);
        assertThat(second.stats().kept()).isEqualTo(1);
    }

    @Test
    void emptyFileHasNoRecords() throws IOException {
        Path file = TestFiles.write(dir, "empty.jsonl", "");

        RecordReader<PreferencePair> reader = TestFiles.drain(pairs, file, ReadOptions.strict());

        assertThat(reader.stats().read()).isZero();
        assertThat(reader.stats().kept()).isZero();
    }

    @Test
    void missingFieldIsNamed() {
        // M03: the missing 'rejected' must be reported, never replaced by "".
        Path file = TestFiles.write(dir, "m03.jsonl", "{\"prompt\": \"Hi\", \"chosen\": \"Hello\"}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("rejected");
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.getMessage()).contains("required field is missing");
        assertThat(error.getMessage()).contains("expected a string");
    }

    @Test
    void missingFieldSkipIsCounted() throws IOException {
        Path file = TestFiles.write(dir, "m03.jsonl", "{\"prompt\": \"Hi\", \"chosen\": \"Hello\"}\n" + GOOD_PAIR);

        RecordReader<PreferencePair> reader = TestFiles.drain(pairs, file, ReadOptions.lenient());

        assertThat(reader.stats().kept()).isEqualTo(1);
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(1);
    }

    @Test
    void strengthOutOfRangeIsRejected() {
        // M04: 5 and -4 are rejected, not clamped to 3 or -3.
        for (String strength : List.of("5", "-4", "4", "-100", "99999999999999999999")) {
            Path file = TestFiles.write(dir, "m04.jsonl", strengthRow(strength));

            DataFormatException error = catchThrowableOfType(DataFormatException.class,
                    () -> TestFiles.readAll(preferences, file, ReadOptions.strict()));

            assertThat(error).as(strength).isNotNull();
            assertThat(error.field()).as(strength).isEqualTo("preference_strength");
            assertThat(error.getMessage()).as(strength).contains("out of range");
        }
    }

    @Test
    void strengthOfWrongTypeIsRejected() {
        // M05: a string, a fraction, a boolean, an integer-valued fraction, an exponent and null.
        for (String strength : List.of("\"2\"", "1.5", "true", "2.0", "2e0", "null", "[2]")) {
            Path file = TestFiles.write(dir, "m05.jsonl", strengthRow(strength));

            DataFormatException error = catchThrowableOfType(DataFormatException.class,
                    () -> TestFiles.readAll(preferences, file, ReadOptions.strict()));

            assertThat(error).as(strength).isNotNull();
            assertThat(error.field()).as(strength).isEqualTo("preference_strength");
            assertThat(error.getMessage()).as(strength).contains("expected an integer from -3 to 3");
        }
    }

    @Test
    void wrongTypesSkipAllCounted() throws IOException {
        String lines = strengthRow("\"2\"") + strengthRow("1.5") + strengthRow("true") + strengthRow("5")
                + strengthRow("-4") + strengthRow("2");
        Path file = TestFiles.write(dir, "m05.jsonl", lines);

        RecordReader<PreferencePair> reader = TestFiles.drain(preferences, file, ReadOptions.lenient());

        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(5);
        assertThat(reader.stats().kept()).isEqualTo(1);
    }

    @Test
    void tieIsDroppedAndCounted() throws IOException {
        // M06: a tie is not turned into a pair with a made-up winner.
        Path file = TestFiles.write(dir, "m06.jsonl", strengthRow("0"));

        RecordReader<PreferencePair> reader = TestFiles.drain(preferences, file, ReadOptions.strict());

        assertThat(reader.stats().kept()).isZero();
        assertThat(reader.stats().dropped(DropReasons.TIE)).isEqualTo(1);
    }

    @Test
    void keptTieFavoursSecondResponse() throws IOException {
        Path file = TestFiles.write(dir, "m06.jsonl", strengthRow("0"));

        List<PreferencePair> records = TestFiles.readAll(preferences, file, ReadOptions.strict().withKeepTies(true));

        assertThat(records).hasSize(1);
        assertThat(records.get(0).chosen()).isEqualTo("B");
        assertThat(records.get(0).rejected()).isEqualTo("A");
        assertThat(records.get(0).magnitude()).isEqualTo(1.0);
    }

    @Test
    void identicalPairIsDropped() throws IOException {
        // M07: chosen equal to rejected, also after NFC normalization and removal of \r.
        String lines = "{\"prompt\": \"Q\", \"chosen\": \"Same answer\", \"rejected\": \"Same answer\"}\n"
                + "{\"prompt\": \"Q\", \"chosen\": \"caf\\u00e9\", \"rejected\": \"cafe\\u0301\"}\n"
                + "{\"prompt\": \"Q\", \"chosen\": \"a\\r\\nb\", \"rejected\": \"a\\nb\"}\n"
                + GOOD_PAIR + "\n";
        Path file = TestFiles.write(dir, "m07.jsonl", lines);

        RecordReader<PreferencePair> reader = TestFiles.drain(pairs, file, ReadOptions.strict());

        assertThat(reader.stats().dropped(DropReasons.IDENTICAL)).isEqualTo(3);
        assertThat(reader.stats().kept()).isEqualTo(1);
    }

    @Test
    void identicalResponsesDroppedForPreferenceRows() throws IOException {
        String row = "{\"split\": \"train\", \"prompt\": \"Q\", \"response_1\": \"Same\", \"response_2\": \"Same\", "
                + "\"preference_strength\": 3}\n";
        Path file = TestFiles.write(dir, "m07.jsonl", row);

        RecordReader<PreferencePair> reader = TestFiles.drain(preferences, file, ReadOptions.strict());

        assertThat(reader.stats().dropped(DropReasons.IDENTICAL)).isEqualTo(1);
        assertThat(reader.stats().kept()).isZero();
    }

    @Test
    void duplicateKeyIsRejected() {
        // M08: the reader never picks one of the two values silently.
        Path file = TestFiles.write(dir, "m08.jsonl",
                "{\"prompt\": \"Q\", \"chosen\": \"A\", \"chosen\": \"B\", \"rejected\": \"C\"}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("chosen");
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.getMessage()).contains("duplicate key 'chosen'");
    }

    @Test
    void duplicateKeyInIgnoredFieldIsRejected() {
        String row = "{\"split\": \"train\", \"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", "
                + "\"preference_strength\": 1, \"all_preferences_unprocessed\": [{\"strength\": 1, \"strength\": 2}]}";
        Path file = TestFiles.write(dir, "m08.jsonl", row);

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(preferences, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("all_preferences_unprocessed");
        assertThat(error.getMessage()).contains("duplicate key 'strength'");
    }

    @Test
    void byteOrderMarkOnFirstLineIsStripped() throws IOException {
        // M09
        Path file = TestFiles.write(dir, "m09.jsonl", "\uFEFF" + GOOD_PAIR + "\n");

        List<PreferencePair> records = TestFiles.readAll(pairs, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        assertThat(records.get(0).prompt().get(0).text()).isEqualTo("Q");
    }

    @Test
    void byteOrderMarkOnLaterLineIsRejected() {
        Path file = TestFiles.write(dir, "m09.jsonl", GOOD_PAIR + "\n\uFEFF" + GOOD_PAIR + "\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.getMessage()).contains("byte order mark");
    }

    @Test
    void crlfLineEndingsLeaveNoCarriageReturn() throws IOException {
        // M09: no field may end in \r.
        Path file = TestFiles.write(dir, "m09.jsonl", GOOD_PAIR + "\r\n" + GOOD_PAIR + "\r\n\r\n");

        RecordReader<PreferencePair> reader = TestFiles.drain(pairs, file, ReadOptions.strict());
        List<PreferencePair> records = TestFiles.readAll(pairs, file, ReadOptions.strict());

        assertThat(records).hasSize(2);
        assertThat(records).allSatisfy(pair -> assertThat(pair.rejected()).isEqualTo("B"));
        assertThat(reader.stats().blank()).isEqualTo(1);
    }

    @Test
    void unpairedSurrogateIsRejected() {
        // M10: the escape \ud800 decodes to a lone surrogate, which no tokenizer can encode.
        Path file = TestFiles.write(dir, "m10.jsonl",
                GOOD_PAIR + "\n{\"prompt\": \"Q\", \"chosen\": \"A\\ud800\", \"rejected\": \"B\"}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.field()).isEqualTo("chosen");
        assertThat(error.getMessage()).contains("unpaired UTF-16 surrogate U+D800");
    }

    @Test
    void validSurrogatePairIsAccepted() throws IOException {
        Path file = TestFiles.write(dir, "pair.jsonl",
                "{\"prompt\": \"Q\", \"chosen\": \"\\ud83d\\ude00\", \"rejected\": \"B\"}\n");

        List<PreferencePair> records = TestFiles.readAll(pairs, file, ReadOptions.strict());

        assertThat(records.get(0).chosen()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void nullValueIsRejected() {
        // M10: null is not a string.
        Path file = TestFiles.write(dir, "m10.jsonl", "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": null}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

        assertThat(error.field()).isEqualTo("rejected");
        assertThat(error.getMessage()).contains("expected a string, got null");
    }

    @Test
    void invalidUtf8NamesLineAndSkipContinues() throws IOException {
        // M10: the raw bytes C3 28 are not UTF-8; the next line must still be read.
        byte[] good = (GOOD_PAIR + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] badStart = "{\"prompt\": \"Q\", \"chosen\": \"A".getBytes(StandardCharsets.UTF_8);
        byte[] badBytes = {(byte) 0xC3, (byte) 0x28};
        byte[] badEnd = "\", \"rejected\": \"B\"}\n".getBytes(StandardCharsets.UTF_8);
        Path file = TestFiles.writeBytes(dir, "m10.jsonl", concat(good, badStart, badBytes, badEnd, good));

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));
        RecordReader<PreferencePair> reader = TestFiles.drain(pairs, file, ReadOptions.lenient());

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.getMessage()).contains("invalid UTF-8 byte sequence at byte 29");
        assertThat(reader.stats().kept()).isEqualTo(2);
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(1);
    }

    @Test
    void topLevelArrayIsRejected() {
        Path file = TestFiles.write(dir, "array.jsonl", "[" + GOOD_PAIR + "]\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(1);
        assertThat(error.field()).isNull();
        assertThat(error.getMessage()).contains("expected a JSON object, got an array");
    }

    @Test
    void topLevelScalarIsRejected() {
        Path file = TestFiles.write(dir, "scalar.jsonl", "\"just text\"\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

        assertThat(error.getMessage()).contains("expected a JSON object, got a string");
    }

    @Test
    void twoObjectsOnOneLineAreRejected() {
        Path file = TestFiles.write(dir, "two.jsonl", GOOD_PAIR + " " + GOOD_PAIR + "\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(1);
        assertThat(error.getMessage()).contains("invalid JSON at column");
    }

    @Test
    void lenientJsonSyntaxIsRejected() {
        for (String line : List.of("{'prompt': 'Q', 'chosen': 'A', 'rejected': 'B'}",
                "{prompt: \"Q\", \"chosen\": \"A\", \"rejected\": \"B\"}",
                "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\",}",
                "{\"prompt\": \"Q\", \"chosen\": \"A\\'\", \"rejected\": \"B\"}")) {
            Path file = TestFiles.write(dir, "lenient.jsonl", line);

            DataFormatException error = catchThrowableOfType(DataFormatException.class,
                    () -> TestFiles.readAll(pairs, file, ReadOptions.strict()));

            assertThat(error).as(line).isNotNull();
            assertThat(error.getMessage()).as(line).contains("invalid JSON at column");
        }
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        String row = "{\"split\": \"val\", \"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", "
                + "\"preference_strength\": -1, \"preference_statement\": \"@Response 1 is better.\", "
                + "\"all_preferences_unprocessed\": [{\"strength\": -1, \"justification\": \"x\"}], "
                + "\"three_most_similar_preferences\": [], \"extra\": {\"nested\": [1, 2.5, null, true]}}";
        Path file = TestFiles.write(dir, "extra.jsonl", row);

        List<PreferencePair> records = TestFiles.readAll(preferences, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        assertThat(records.get(0).chosen()).isEqualTo("A");
    }

    @Test
    void tooLongLineIsSkippedAndCounted() throws IOException {
        String longPrompt = "x".repeat(200_000);
        String longLine = "{\"prompt\": \"" + longPrompt + "\", \"chosen\": \"A\", \"rejected\": \"B\"}";
        Path file = TestFiles.write(dir, "long.jsonl", GOOD_PAIR + "\n" + longLine + "\n" + GOOD_PAIR + "\n");
        ReadOptions options = ReadOptions.lenient().withMaxLineChars(1_000);

        RecordReader<PreferencePair> reader = TestFiles.drain(pairs, file, options);
        List<PreferencePair> records = TestFiles.readAll(pairs, file, options);

        assertThat(reader.stats().dropped(DropReasons.TOO_LONG)).isEqualTo(1);
        assertThat(reader.stats().kept()).isEqualTo(2);
        assertThat(records).extracting(PreferencePair::id).containsExactly("1", "3");
    }

    @Test
    void tooLongLineFailsWithLine() {
        Path file = TestFiles.write(dir, "long.jsonl", GOOD_PAIR + "\n" + GOOD_PAIR + GOOD_PAIR + "\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(pairs, file, ReadOptions.strict().withMaxLineChars(GOOD_PAIR.length())));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.getMessage()).contains("longer than the limit of " + GOOD_PAIR.length() + " characters");
    }

    @Test
    void lineAtLimitIsRead() throws IOException {
        Path file = TestFiles.write(dir, "limit.jsonl", GOOD_PAIR + "\r\n");

        List<PreferencePair> records =
                TestFiles.readAll(pairs, file, ReadOptions.strict().withMaxLineChars(GOOD_PAIR.length()));

        assertThat(records).hasSize(1);
    }

    @Test
    void failStopsAtFirstBadRecord() throws IOException {
        Path file = TestFiles.write(dir, "fail.jsonl", GOOD_PAIR + "\n{\"prompt\": \"Q\"}\n" + GOOD_PAIR + "\n");

        try (RecordReader<PreferencePair> reader = pairs.open(file, ReadOptions.strict())) {
            assertThat(reader.next().id()).isEqualTo("1");
            assertThat(reader.hasNext()).isTrue();
            assertThatThrownBy(reader::next).isInstanceOf(DataFormatException.class).hasMessageContaining(":2:");
            assertThat(reader.hasNext()).isFalse();
            assertThat(reader.stats().kept()).isEqualTo(1);
        }
    }

    @Test
    void warningsAreCappedPerFile() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            lines.append("{\"prompt\": \"Q\"}\n");
        }
        lines.append(GOOD_PAIR).append('\n');
        Path file = TestFiles.write(dir, "many.jsonl", lines.toString());

        RecordReader<PreferencePair> reader = TestFiles.drain(pairs, file, ReadOptions.lenient());

        assertThat(((AbstractRecordReader<PreferencePair>) reader).loggedWarnings())
                .isEqualTo(AbstractRecordReader.MAX_WARNINGS);
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(25);
        assertThat(reader.stats().kept()).isEqualTo(1);
    }

    @Test
    void gzipDetectedBySuffix() throws IOException {
        Path file = TestFiles.writeBytes(dir, "pairs.jsonl.gz", TestFiles.gzip(GOOD_PAIR + "\n" + GOOD_PAIR + "\n"));

        List<PreferencePair> records = TestFiles.readAll(pairs, file, ReadOptions.strict());

        assertThat(records).hasSize(2);
    }

    @Test
    void gzipDetectedByMagicBytes() throws IOException {
        Path file = TestFiles.writeBytes(dir, "pairs.jsonl", TestFiles.gzip(GOOD_PAIR + "\n"));

        List<PreferencePair> records = TestFiles.readAll(pairs, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
    }

    @Test
    void gzipSuffixOnPlainFileFailsToOpen() {
        Path file = TestFiles.write(dir, "plain.jsonl.gz", GOOD_PAIR + "\n");

        assertThatThrownBy(() -> pairs.open(file, ReadOptions.strict())).isInstanceOf(IOException.class);
    }

    @Test
    void truncatedGzipFailsWithFileName() {
        byte[] whole = TestFiles.gzip((GOOD_PAIR + "\n").repeat(1_000));
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
        Path file = TestFiles.writeBytes(dir, "cut.jsonl.gz", half);

        assertThatThrownBy(() -> TestFiles.readAll(pairs, file, ReadOptions.lenient()))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("Failed to read " + file);
    }

    private static String strengthRow(String strength) {
        return "{\"split\": \"train\", \"prompt\": \"Q\", \"response_1\": \"A\", \"response_2\": \"B\", "
                + "\"preference_strength\": " + strength + "}\n";
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] joined = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, joined, offset, part.length);
            offset += part.length;
        }
        return joined;
    }
}
