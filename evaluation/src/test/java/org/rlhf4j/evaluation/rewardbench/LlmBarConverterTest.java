package org.rlhf4j.evaluation.rewardbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.DataSources;

class LlmBarConverterTest {

    private static final String ROW_1 = "{\"input\": \"Q1\", \"output_1\": \"A1\", \"output_2\": \"B1\", \"label\": 1}";
    private static final String ROW_2 = "{\"input\": \"Q2\", \"output_1\": \"A2\", \"output_2\": \"B2\", \"label\": 2}";

    @TempDir
    Path dir;

    @Test
    void realFilesGiveRewardBenchCounts() throws IOException {
        Path llmBar = TestFiles.requireSharedData("llmbar_pairwise");
        Path output = dir.resolve("llmbar.jsonl");

        Map<String, Integer> counts = LlmBarConverter.convert(llmBar, output);

        assertThat(counts).containsExactly(Map.entry("llmbar-natural", 100), Map.entry("llmbar-adver-neighbor", 134),
                Map.entry("llmbar-adver-GPTInst", 92), Map.entry("llmbar-adver-GPTOut", 47),
                Map.entry("llmbar-adver-manual", 46));
        assertThat(Files.readAllLines(output)).hasSize(419);
    }

    @Test
    void realCountsEqualSchemaCounts() throws IOException {
        Path llmBar = TestFiles.requireSharedData("llmbar_pairwise");
        RewardBenchSchema v1 = RewardBenchSchema.v1();

        Map<String, Integer> counts = LlmBarConverter.convert(llmBar, dir.resolve("llmbar.jsonl"));

        counts.forEach((subset, count) -> assertThat(count).as(subset).isEqualTo(v1.exampleCount(subset)));
    }

    @Test
    void naturalLabelTwoRowsChooseSecondOutput() throws IOException {
        Path natural = TestFiles.requireSharedData("llmbar_pairwise/llmbar_natural.json");
        JsonArray source = JsonParser.parseString(Files.readString(natural)).getAsJsonArray();

        List<RewardBenchPair> pairs = LlmBarConverter.read(natural, "llmbar-natural");

        int chosenSecond = 0;
        for (int i = 0; i < pairs.size(); i++) {
            JsonObject row = source.get(i).getAsJsonObject();
            boolean labelTwo = row.get("label").getAsInt() == 2;
            String chosen = row.get(labelTwo ? "output_2" : "output_1").getAsString();
            String rejected = row.get(labelTwo ? "output_1" : "output_2").getAsString();
            assertThat(pairs.get(i).chosen()).as("chosen of element %d", i).isEqualTo(chosen);
            assertThat(pairs.get(i).rejected()).as("rejected of element %d", i).isEqualTo(rejected);
            assertThat(pairs.get(i).prompt()).as("prompt of element %d", i).isEqualTo(row.get("input").getAsString());
            chosenSecond += labelTwo ? 1 : 0;
        }
        assertThat(pairs).hasSize(100);
        assertThat(chosenSecond).isEqualTo(58);
    }

    @Test
    void pairsSourceReadsOutput() throws IOException {
        Path llmBar = TestFiles.requireSharedData("llmbar_pairwise");
        Path output = dir.resolve("llmbar.jsonl");
        LlmBarConverter.convert(llmBar, output);
        List<RewardBenchPair> expected = LlmBarConverter.readAll(llmBar);

        List<PreferencePair> read = DataSources.forName("pairs", PreferencePair.class)
                .open(output, ReadOptions.strict())
                .readAll();

        assertThat(read).hasSize(419);
        for (int i = 0; i < read.size(); i++) {
            RewardBenchPair pair = expected.get(i);
            assertThat(read.get(i)).isEqualTo(new PreferencePair(pair.id(), List.of(Turn.user(pair.prompt())),
                    pair.chosen(), pair.rejected(), 1.0, pair.subset()));
        }
        assertThat(read.get(0).id()).isEqualTo("llmbar-natural:0");
        assertThat(read.get(418).id()).isEqualTo("llmbar-adver-manual:45");
    }

    @Test
    void labelPicksChosenOutput() throws IOException {
        Path file = TestFiles.write(dir, "small.json", "[" + ROW_1 + ",\n" + ROW_2 + "]");

        List<RewardBenchPair> pairs = LlmBarConverter.read(file, "llmbar-natural");

        assertThat(pairs).containsExactly(
                new RewardBenchPair("llmbar-natural:0", "llmbar-natural", "Q1", "A1", "B1"),
                new RewardBenchPair("llmbar-natural:1", "llmbar-natural", "Q2", "B2", "A2"));
    }

    @Test
    void labelThreeNamesFileAndElement() {
        Path file = TestFiles.write(dir, "bad.json", "[" + ROW_1 + ", " + ROW_2.replace("\"label\": 2", "\"label\": 3")
                + "]");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> LlmBarConverter.read(file, "llmbar-natural"));

        assertThat(error.file()).isEqualTo(file);
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.field()).isEqualTo("label");
        assertThat(error.getMessage()).contains("bad.json:2").contains("expected an integer from 1 to 2, got 3");
    }

    @Test
    void labelOfWrongTypeIsRejected() {
        for (String label : List.of("\"1\"", "1.0", "true", "null", "0")) {
            Path file = TestFiles.write(dir, "bad.json", "[" + ROW_1.replace("\"label\": 1", "\"label\": " + label)
                    + "]");

            DataFormatException error = catchThrowableOfType(DataFormatException.class,
                    () -> LlmBarConverter.read(file, "llmbar-natural"));

            assertThat(error).as("label %s", label).isNotNull();
            assertThat(error.field()).as("label %s", label).isEqualTo("label");
            assertThat(error.line()).as("label %s", label).isEqualTo(1);
        }
    }

    @Test
    void missingOutputIsRejected() {
        Path file = TestFiles.write(dir, "bad.json", "[" + ROW_1.replace("\"output_2\": \"B1\", ", "") + "]");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> LlmBarConverter.read(file, "llmbar-natural"));

        assertThat(error.field()).isEqualTo("output_2");
        assertThat(error.getMessage()).contains("required field is missing");
    }

    @Test
    void duplicateKeyIsRejected() {
        Path file = TestFiles.write(dir, "bad.json", "[" + ROW_1.replace("\"label\": 1", "\"label\": 1, \"label\": 2")
                + "]");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> LlmBarConverter.read(file, "llmbar-natural"));

        assertThat(error.field()).isEqualTo("label");
        assertThat(error.getMessage()).contains("duplicate key");
    }

    @Test
    void objectInsteadOfArrayIsRejected() {
        Path file = TestFiles.write(dir, "bad.json", ROW_1);

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> LlmBarConverter.read(file, "llmbar-natural"));

        assertThat(error.getMessage()).contains("expected a JSON array of objects, got an object");
    }

    @Test
    void truncatedArrayIsRejected() {
        Path file = TestFiles.write(dir, "bad.json", "[" + ROW_1 + ", " + ROW_2);

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> LlmBarConverter.read(file, "llmbar-natural"));

        assertThat(error.getMessage()).contains("invalid JSON");
    }

    @Test
    void failedConversionKeepsOldOutput() throws IOException {
        Path llmBar = Files.createDirectories(dir.resolve("llmbar"));
        for (LlmBarConverter.Part part : LlmBarConverter.PARTS) {
            TestFiles.write(llmBar, part.fileName(), "[" + ROW_1 + "]");
        }
        TestFiles.write(llmBar, "llmbar_adversarial_manual.json", "[" + ROW_1.replace("1}", "7}") + "]");
        Path output = TestFiles.write(dir, "out.jsonl", "old\n");

        DataFormatException error = catchThrowableOfType(DataFormatException.class,
                () -> LlmBarConverter.convert(llmBar, output));

        assertThat(error.file()).isEqualTo(llmBar.resolve("llmbar_adversarial_manual.json"));
        assertThat(Files.readString(output)).isEqualTo("old\n");
    }

    @Test
    void outputReplacesFileWithoutLeftovers() throws IOException {
        Path output = TestFiles.write(dir, "out.jsonl", "old\n");
        List<RewardBenchPair> pairs = List.of(new RewardBenchPair("s:0", "s", "Q <b>\u00e9", "A", "B"));

        LlmBarConverter.write(pairs, output);

        assertThat(Files.readString(output)).isEqualTo(
                "{\"id\":\"s:0\",\"subset\":\"s\",\"prompt\":\"Q <b>\u00e9\",\"chosen\":\"A\",\"rejected\":\"B\"}\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("out.jsonl");
        }
    }

    @Test
    void outputLinesAreObjectsWithFiveFields() throws IOException {
        Path output = dir.resolve("out.jsonl");
        LlmBarConverter.write(List.of(new RewardBenchPair("s:0", "s", "Q\nline\u2028", "A", "B")), output);

        List<String> lines = Files.readAllLines(output);
        JsonElement parsed = JsonParser.parseString(lines.get(0));

        assertThat(lines).hasSize(1);
        assertThat(parsed.getAsJsonObject().keySet()).containsExactly("id", "subset", "prompt", "chosen", "rejected");
        assertThat(parsed.getAsJsonObject().get("prompt").getAsString()).isEqualTo("Q\nline\u2028");
    }
}
