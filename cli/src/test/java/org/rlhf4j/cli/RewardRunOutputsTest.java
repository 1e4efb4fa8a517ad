package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a reward run writes besides the model: the tokenized-data cache and the PNG plots. */
class RewardRunOutputsTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static JsonObject metrics(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
    }

    /** Writes the first 60 bundled pairs as a held-out file, so that each run evaluates only those. */
    private static Path heldOutFile(Path dir) throws IOException {
        Path bundled = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);
        JsonArray all = JsonParser.parseString(Files.readString(bundled, StandardCharsets.UTF_8)).getAsJsonArray();
        JsonArray first = new JsonArray();
        for (int i = 0; i < 60; i++) {
            first.add(all.get(i));
        }
        return Files.writeString(dir.resolve("held-out.json"), first.toString());
    }

    private static CommandRunner.Result train(Path out, String... extra) throws IOException {
        String[] base = {"train-reward", "--data", BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE).toString(),
            "--format", "instruction-preference", "--eval-data", heldOutFile(out.getParent()).toString(),
            "--max-steps", "4", "--out", out.toString()};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CommandRunner.run(args);
    }

    private static void assertPng(Path file) throws IOException {
        assertThat(file).exists();
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), PNG_SIGNATURE.length);
        assertThat(head).isEqualTo(PNG_SIGNATURE);
    }

    @Test
    void secondRunLoadsCache(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");

        CommandRunner.Result first = train(dir.resolve("first"), "--cache-dir", cache.toString());
        // The second run also splits every micro batch over two model replicas on the CPU.
        CommandRunner.Result second = train(dir.resolve("second"), "--cache-dir", cache.toString(),
                "--devices", "cpu,cpu");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        JsonObject miss = metrics(dir.resolve("first"));
        JsonObject hit = metrics(dir.resolve("second"));
        assertThat(miss.get("tokenized_cache").getAsString()).isEqualTo("miss");
        assertThat(hit.get("tokenized_cache").getAsString()).isEqualTo("hit");
        try (Stream<Path> files = Files.list(cache)) {
            // One entry for the training file and one for the held-out file.
            assertThat(files.filter(file -> file.toString().endsWith(".arrow"))).hasSize(2);
        }
        assertThat(hit.get("pairs").getAsInt()).isEqualTo(miss.get("pairs").getAsInt()).isEqualTo(1094);
        assertThat(hit.get("held_out_pairs").getAsInt()).isEqualTo(60);
        // Same pairs in the same order give the same batches; the two replicas' summed gradients
        // equal the single model's up to float rounding.
        assertThat(hit.get("loss_first").getAsDouble()).isCloseTo(miss.get("loss_first").getAsDouble(), within(1e-5));
        assertThat(hit.get("loss_last").getAsDouble()).isCloseTo(miss.get("loss_last").getAsDouble(), within(1e-4));
    }

    @Test
    void uncachedRunWritesPlotsAndModel(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");
        Path out = dir.resolve("run");

        CommandRunner.Result trained = train(out, "--cache-dir", cache.toString(), "--no-cache");
        Path report = dir.resolve("eval.json");
        CommandRunner.Result evaluated = CommandRunner.run("evaluate-reward", "--model", out.resolve("model").toString(),
                "--data", dir.resolve("held-out.json").toString(), "--format", "instruction-preference",
                "--out", report.toString());

        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(metrics(out).get("tokenized_cache").getAsString()).isEqualTo("off");
        assertThat(cache).doesNotExist();
        assertPng(out.resolve("loss.png"));
        assertPng(out.resolve("accuracy.png"));
        assertPng(out.resolve("margins.png"));
        assertThat(trained.out()).contains("loss.png").contains("margins.png");
        // The saved model, loaded again, scores the held-out pairs exactly as the trained one did.
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        JsonObject json = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        assertThat(json.get("pairs").getAsInt()).isEqualTo(metrics(out).get("held_out_pairs").getAsInt());
        assertThat(json.get("accuracy").getAsDouble()).isEqualTo(metrics(out).get("accuracy_after").getAsDouble());
        assertPng(dir.resolve("margins.png"));
    }
}
