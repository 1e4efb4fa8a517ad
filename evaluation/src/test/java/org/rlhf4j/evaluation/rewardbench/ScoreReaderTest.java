package org.rlhf4j.evaluation.rewardbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;

class ScoreReaderTest {

    private static final String GOOD =
            "{\"id\": 30, \"subset\": \"hep-go\", \"score_chosen\": 1.5, \"score_rejected\": -2}";

    @TempDir
    Path dir;

    @Test
    void readsAllFields() throws IOException {
        Path file = TestFiles.write(dir, "scores.jsonl", GOOD + "\n"
                + "{\"id\": \"llmbar-natural:4\", \"subset\": \"llmbar-natural\", \"score_chosen\": 0.25,"
                + " \"score_rejected\": 0.25, \"chosen_model\": \"x\"}\n");

        List<ScoreRecord> records = ScoreReader.read(file);

        assertThat(records).containsExactly(
                new ScoreRecord("30", "hep-go", 1.5, -2.0),
                new ScoreRecord("llmbar-natural:4", "llmbar-natural", 0.25, 0.25));
    }

    @Test
    void crlfBomAndBlankLinesAccepted() throws IOException {
        Path file = TestFiles.write(dir, "scores.jsonl", "\uFEFF" + GOOD + "\r\n   \r\n\n"
                + GOOD.replace("30", "31") + "\r\n");

        List<ScoreRecord> records = ScoreReader.read(file);

        assertThat(records).extracting(ScoreRecord::id).containsExactly("30", "31");
    }

    @Test
    void gzipFileIsDecompressed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path file = TestFiles.writeBytes(dir, "scores.jsonl.gz", bytes.toByteArray());

        assertThat(ScoreReader.read(file)).containsExactly(new ScoreRecord("30", "hep-go", 1.5, -2.0));
    }

    @Test
    void missingScoreNamesFieldAndLine() {
        Path file = TestFiles.write(dir, "scores.jsonl",
                GOOD + "\n\n{\"id\": 2, \"subset\": \"hep-go\", \"score_chosen\": 1}\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class, () -> ScoreReader.read(file));

        assertThat(error.file()).isEqualTo(file);
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.field()).isEqualTo("score_rejected");
        assertThat(error.getMessage()).contains("scores.jsonl:3").contains("required field is missing")
                .contains("expected a number");
    }

    @Test
    void quotedScoreIsRejected() {
        DataFormatException error = readBad(GOOD.replace("1.5", "\"1.5\""));

        assertThat(error.field()).isEqualTo("score_chosen");
        assertThat(error.getMessage()).contains("expected a number, got a string \"1.5\"");
    }

    @Test
    void nullScoreIsRejected() {
        DataFormatException error = readBad(GOOD.replace("-2", "null"));

        assertThat(error.field()).isEqualTo("score_rejected");
        assertThat(error.getMessage()).contains("got null");
    }

    @Test
    void booleanScoreIsRejected() {
        DataFormatException error = readBad(GOOD.replace("1.5", "true"));

        assertThat(error.field()).isEqualTo("score_chosen");
        assertThat(error.getMessage()).contains("got a boolean true");
    }

    @Test
    void scoreOutsideDoubleRangeIsRejected() {
        DataFormatException error = readBad(GOOD.replace("1.5", "1e400"));

        assertThat(error.field()).isEqualTo("score_chosen");
        assertThat(error.getMessage()).contains("expected a finite number, got 1e400");
    }

    @Test
    void nanLiteralIsRejected() {
        DataFormatException error = readBad(GOOD.replace("1.5", "NaN"));

        assertThat(error.line()).isEqualTo(1);
        assertThat(error.getMessage()).contains("invalid JSON");
    }

    @Test
    void blankSubsetIsRejected() {
        DataFormatException error = readBad(GOOD.replace("hep-go", " "));

        assertThat(error.field()).isEqualTo("subset");
        assertThat(error.getMessage()).contains("expected a non-empty string");
    }

    @Test
    void fractionalIdIsRejected() {
        DataFormatException error = readBad(GOOD.replace("30", "30.5"));

        assertThat(error.field()).isEqualTo("id");
        assertThat(error.getMessage()).contains("expected a string or an integer, got a number 30.5");
    }

    @Test
    void duplicateKeyIsRejected() {
        DataFormatException error = readBad(
                GOOD.replace("\"score_chosen\": 1.5", "\"score_chosen\": 1.5, \"score_chosen\": 9"));

        assertThat(error.field()).isEqualTo("score_chosen");
        assertThat(error.getMessage()).contains("duplicate key");
    }

    @Test
    void duplicateIdNamesBothLines() {
        Path file = TestFiles.write(dir, "scores.jsonl", GOOD + "\n" + GOOD.replace("hep-go", "hep-js") + "\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class, () -> ScoreReader.read(file));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.field()).isEqualTo("id");
        assertThat(error.getMessage()).contains("duplicate id '30', first seen on line 1");
    }

    @Test
    void unterminatedObjectIsRejectedWithLine() {
        Path file = TestFiles.write(dir, "scores.jsonl", GOOD + "\n" + GOOD.substring(0, GOOD.length() - 1) + "\n"
                + GOOD.replace("30", "32") + "\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class, () -> ScoreReader.read(file));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.field()).isNull();
        assertThat(error.getMessage()).contains("invalid JSON at column");
    }

    @Test
    void arrayLineIsRejected() {
        DataFormatException error = readBad("[" + GOOD + "]");

        assertThat(error.getMessage()).contains("expected a JSON object, got an array");
    }

    @Test
    void invalidUtf8IsRejectedWithLine() {
        byte[] good = (GOOD + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = "{\"id\": 1, \"subset\": \"a\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 4] = (byte) 0x28;
        byte[] bytes = new byte[good.length + bad.length];
        System.arraycopy(good, 0, bytes, 0, good.length);
        System.arraycopy(bad, 0, bytes, good.length, bad.length);
        Path file = TestFiles.writeBytes(dir, "scores.jsonl", bytes);

        DataFormatException error = catchThrowableOfType(DataFormatException.class, () -> ScoreReader.read(file));

        assertThat(error.line()).isEqualTo(2);
        assertThat(error.getMessage()).contains("invalid UTF-8: unexpected byte 0xC3");
    }

    @Test
    void unpairedSurrogateIsRejected() {
        DataFormatException error = readBad(GOOD.replace("hep-go", "hep\\ud800"));

        assertThat(error.field()).isEqualTo("subset");
        assertThat(error.getMessage()).contains("unpaired UTF-16 surrogate U+D800");
    }

    private DataFormatException readBad(String line) {
        Path file = TestFiles.write(dir, "bad.jsonl", line + "\n");
        return catchThrowableOfType(DataFormatException.class, () -> ScoreReader.read(file));
    }
}
