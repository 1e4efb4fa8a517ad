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
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.DropReasons;
import org.rlhf4j.data.TestFiles;

class InstructionPreferenceSourceTest {

    private static final String BUNDLED =
            "bundled/datasets/instruction-preference/instruction-data-with-preference.json";
    private static final String ELEMENT =
            "{\"instruction\": \"Fix it.\", \"input\": \"teh\", \"output\": \"the\", \"rejected\": \"Ugh, the.\", "
                    + "\"chosen\": \"The.\"}";

    @TempDir
    Path dir;

    private final InstructionPreferenceSource source = new InstructionPreferenceSource();

    @Test
    void bundledFileHasElevenHundredElements() throws IOException {
        // Counted independently with Python: 1,100 elements, 6 with chosen equal to rejected
        // (elements 123, 227, 401, 567, 629 and 677), 325 with a non-empty input.
        Path file = TestFiles.requireDataFile(BUNDLED);

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.strict());
        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(reader.stats().read()).isEqualTo(1100);
        assertThat(reader.stats().kept()).isEqualTo(1094);
        assertThat(reader.stats().dropped(DropReasons.IDENTICAL)).isEqualTo(6);
        assertThat(records).extracting(PreferencePair::id).doesNotContain("123", "227", "401", "567", "629", "677");
        assertThat(records.get(0).id()).isEqualTo("1");
        assertThat(records.get(0).prompt()).containsExactly(Turn.user(
                "Evaluate the following phrase by transforming it into the spelling given.\n\nfreind --> friend"));
        assertThat(records.get(0).chosen()).isEqualTo(
                "The spelling of the given phrase \"freind\" is incorrect, the correct spelling is \"friend\".");
    }

    @Test
    void emptyInputLeavesInstructionAlone() throws IOException {
        Path file = TestFiles.write(dir, "a.json", "[{\"instruction\": \"Say hi.\", \"input\": \"\", "
                + "\"chosen\": \"Hi!\", \"rejected\": \"No.\"}, {\"instruction\": \"Say bye.\", "
                + "\"chosen\": \"Bye!\", \"rejected\": \"Go away.\"}]");

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).extracting(pair -> pair.prompt().get(0).text()).containsExactly("Say hi.", "Say bye.");
        assertThat(records).extracting(PreferencePair::id).containsExactly("1", "2");
    }

    @Test
    void badElementIsSkippedAndNextRead() throws IOException {
        String bad = "{\"instruction\": \"Fix it.\", \"chosen\": \"A\", \"chosen\": \"B\", \"rejected\": \"C\"}";
        Path file = TestFiles.write(dir, "a.json", "[" + ELEMENT + ", 42, " + bad + ", " + ELEMENT + "]\n");

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.lenient());
        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.lenient());

        assertThat(records).extracting(PreferencePair::id).containsExactly("1", "4");
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(2);
    }

    @Test
    void nonObjectElementFailsWithElementNumber() {
        Path file = TestFiles.write(dir, "a.json", "[" + ELEMENT + ", [1, 2]]");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.getMessage()).contains("expected a JSON object, got an array");
    }

    @Test
    void missingFieldNamesElement() {
        Path file = TestFiles.write(dir, "a.json", "[" + ELEMENT + ", {\"instruction\": \"x\", \"chosen\": \"y\"}]");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.field()).isEqualTo("rejected");
    }

    @Test
    void syntaxErrorEndsFileButKeepsEarlierRecords() throws IOException {
        Path file = TestFiles.write(dir, "a.json", "[\n" + ELEMENT + ",\n" + ELEMENT + "\n" + ELEMENT + "]");

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.lenient());
        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(reader.stats().kept()).isEqualTo(2);
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(1);
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.getMessage()).contains("invalid JSON at line 4");
    }

    @Test
    void topLevelObjectIsRejected() {
        Path file = TestFiles.write(dir, "a.json", ELEMENT);

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(error.getMessage()).contains("expected a JSON array of objects, got an object");
    }

    @Test
    void gzipArrayIsRead() throws IOException {
        Path file = TestFiles.writeBytes(dir, "a.json.gz", TestFiles.gzip("\uFEFF[" + ELEMENT + "]"));

        List<PreferencePair> records = TestFiles.readAll(source, file, ReadOptions.strict());

        assertThat(records).hasSize(1);
        assertThat(records.get(0).prompt()).containsExactly(Turn.user("Fix it.\n\nteh"));
    }

    @Test
    void invalidUtf8EndsFile() throws IOException {
        byte[] start = ("[" + ELEMENT + ", {\"instruction\": \"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] end = "\", \"chosen\": \"A\", \"rejected\": \"B\"}]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = new byte[start.length + 2 + end.length];
        System.arraycopy(start, 0, bytes, 0, start.length);
        bytes[start.length] = (byte) 0xC3;
        bytes[start.length + 1] = (byte) 0x28;
        System.arraycopy(end, 0, bytes, start.length + 2, end.length);
        Path file = TestFiles.writeBytes(dir, "a.json", bytes);

        RecordReader<PreferencePair> reader = TestFiles.drain(source, file, ReadOptions.lenient());
        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> TestFiles.readAll(source, file, ReadOptions.strict()));

        assertThat(reader.stats().kept()).isEqualTo(1);
        assertThat(reader.stats().dropped(DropReasons.MALFORMED)).isEqualTo(1);
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.getMessage()).contains("invalid UTF-8 byte sequence at byte " + (start.length + 1));
    }
}
