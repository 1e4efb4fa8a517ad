package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;

/** Stops {@code train-reward} runs at a checkpoint and resumes them with {@code --resume}. */
class TrainRewardResumeTest {

    /** 24 training pairs of 8 per step give 3 steps per epoch and 6 steps in 2 epochs. */
    private static List<String> arguments(Path out, String... extra) {
        Path data = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);
        List<String> arguments = new ArrayList<>(List.of("train-reward", "--data", data.toString(), "--format",
                "instruction-preference", "--max-pairs", "24", "--held-out", "0.05", "--batch", "8",
                "--micro-batch", "4", "--epochs", "2", "--max-length", "48", "--out", out.toString()));
        arguments.addAll(List.of(extra));
        return arguments;
    }

    private static CommandRunner.Result run(List<String> arguments) {
        return CommandRunner.run(arguments.toArray(String[]::new));
    }

    private static JsonObject metrics(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
    }

    /** Copies one checkpoint of a finished run into a new output folder, as if that run had stopped there. */
    private static void copyCheckpoint(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void resumedRunEndsWithSameLoss(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight");
        CommandRunner.Result first = run(arguments(straight, "--checkpoint-every", "4", "--keep-checkpoints", "5"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        try (Stream<Path> folders = Files.list(straight.resolve("checkpoints"))) {
            assertThat(folders.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("step-000004", "step-000006");
        }
        Path resumed = dir.resolve("resumed");
        copyCheckpoint(straight.resolve("checkpoints/step-000004"), resumed.resolve("checkpoints/step-000004"));

        CommandRunner.Result second = run(arguments(resumed, "--resume", resumed.toString()));

        assertThat(second.exitCode()).as(second.err()).isZero();
        JsonObject expected = metrics(straight);
        JsonObject actual = metrics(resumed);
        assertThat(expected.get("steps").getAsInt()).isEqualTo(6);
        assertThat(expected.has("resumed_from")).isFalse();
        assertThat(actual.get("steps").getAsInt()).isEqualTo(2);
        assertThat(actual.get("first_step").getAsLong()).isEqualTo(5);
        assertThat(actual.get("loss_last").getAsDouble()).isEqualTo(expected.get("loss_last").getAsDouble());
        assertThat(actual.get("accuracy_after").getAsDouble()).isEqualTo(expected.get("accuracy_after").getAsDouble());
        assertThat(actual.get("resumed_from").getAsString()).endsWith("step-000004");
        assertThat(second.out()).contains("Resuming from").contains("4 of 6 steps done");
    }

    @Test
    void resumeWithOtherSettingsNamesKey(@TempDir Path dir) {
        Path out = dir.resolve("run");
        CommandRunner.Result first = run(arguments(out, "--checkpoint-every", "1", "--max-steps", "1"));
        assertThat(first.exitCode()).as(first.err()).isZero();

        CommandRunner.Result second = run(arguments(out, "--resume", out.toString(), "--max-steps", "1", "--seed",
                "7"));

        assertThat(second.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(second.err()).contains("Cannot resume from " + out.resolve("checkpoints/step-000001"))
                .contains("trainer_config.seed (42 in the checkpoint, 7 in this run)");
    }

    @Test
    void resumeWithoutCheckpointIsRejected(@TempDir Path dir) {
        CommandRunner.Result result = run(arguments(dir.resolve("run"), "--resume", dir.toString()));

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("No checkpoint found in " + dir);
    }

    @Test
    void negativeCheckpointIntervalIsRejected(@TempDir Path dir) {
        CommandRunner.Result result = run(arguments(dir.resolve("run"), "--checkpoint-every", "-1"));

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--checkpoint-every must be >= 0, got -1");
    }

    @Test
    void earlierResultsNeedOverwrite(@TempDir Path dir) {
        Path out = dir.resolve("run");
        CommandRunner.Result first = run(arguments(out, "--max-steps", "1"));
        assertThat(first.exitCode()).as(first.err()).isZero();

        CommandRunner.Result again = run(arguments(out, "--max-steps", "1"));
        CommandRunner.Result replaced = run(arguments(out, "--max-steps", "1", "--overwrite"));

        assertThat(again.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(again.err()).contains("--out " + out + " already contains the model and metrics")
                .contains("--overwrite");
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    }

    @Test
    void otherRunsCheckpointsAreKept(@TempDir Path dir) {
        Path out = dir.resolve("run");
        CommandRunner.Result first = run(arguments(out, "--checkpoint-every", "1", "--max-steps", "1"));
        assertThat(first.exitCode()).as(first.err()).isZero();

        CommandRunner.Result second = run(arguments(out, "--checkpoint-every", "1", "--max-steps", "2", "--overwrite"));

        assertThat(second.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(second.err()).contains("already contains checkpoints of another run").contains("--resume");
        assertThat(out.resolve("checkpoints/step-000001")).isDirectory();
    }

    @Test
    void pairwiseTrainingStartsFromRegressionModel(@TempDir Path dir) throws IOException {
        Path regression = dir.resolve("regression");
        try (LlamaRewardModel model = LlamaRewardModel.fromGguf(BundledAssets.resolve(BundledAssets.MODEL),
                new RewardHeadSpec(List.of("helpfulness", "correctness"), 0), 3)) {
            model.save(regression);
        }
        Path out = dir.resolve("run");

        CommandRunner.Result result = run(arguments(out, "--init", regression.toString(), "--loss", "scaled-bt",
                "--max-steps", "2"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(metrics(out).get("steps").getAsInt()).isEqualTo(2);
        assertThat(metrics(out).get("loss_first").getAsDouble()).isFinite();
    }
}
