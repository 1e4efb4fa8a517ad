package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandErrorsTest {

    @Test
    void malformedRecordNamesFileLineAndField(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("pairs.jsonl");
        Files.writeString(data, "{\"prompt\": \"Q\", \"chosen\": \"A\", \"rejected\": \"B\"}\n"
                + "{\"prompt\": \"Hi\", \"chosen\": \"Hello\"}\n");

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format", "pairs",
                "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("pairs.jsonl:2").contains("rejected");
        assertThat(dir.resolve("run")).doesNotExist();
    }

    @Test
    void unknownLossListsKnownNames(@TempDir Path dir) {
        Path data = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format",
                "instruction-preference", "--loss", "nope", "--out", dir.toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("nope").contains("bt").contains("margin-bt").contains("scaled-bt");
    }

    @Test
    void unknownFormatListsKnownNames(@TempDir Path dir) {
        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", "x.jsonl", "--format", "csv",
                "--out", dir.toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("csv").contains("hh-rlhf").contains("helpsteer2-preference");
    }

    @Test
    void missingDataFileIsReported(@TempDir Path dir) {
        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", dir.resolve("absent.jsonl").toString(),
                "--format", "pairs", "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("absent.jsonl");
    }

    @Test
    void invalidTruncationListsChoices(@TempDir Path dir) {
        Path data = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format",
                "instruction-preference", "--truncation", "chop", "--out", dir.toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("chop").contains("filter").contains("truncate");
    }

    @Test
    void batchErrorNamesOptions(@TempDir Path dir) {
        Path data = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format",
                "instruction-preference", "--batch", "30", "--micro-batch", "7", "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--batch 30 must be a multiple of --micro-batch 7");
        assertThat(result.err()).doesNotContain("globalBatchPairs");
    }

    @Test
    void negativeMaxStepsIsRejected(@TempDir Path dir) {
        Path data = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format",
                "instruction-preference", "--max-steps", "-3", "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--max-steps must be >= 0").contains("-3");
    }

    @Test
    void outFileIsRejectedEarly(@TempDir Path dir) throws IOException {
        Path data = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);
        Path file = Files.writeString(dir.resolve("taken"), "keep me");

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format",
                "instruction-preference", "--out", file.toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--out").contains("taken");
        assertThat(result.out()).doesNotContain("Held-out accuracy before training");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void malformedDeviceIsNamed(@TempDir Path dir) {
        Path data = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format",
                "instruction-preference", "--devices", "cpu,tpu:0", "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--devices").contains("tpu:0").contains("cuda:N");
    }

    @Test
    void missingGpuIsNamed(@TempDir Path dir) {
        Path data = BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);

        // No machine has 1000 CUDA devices, so this fails on CPU machines and GPU machines alike.
        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format",
                "instruction-preference", "--devices", "cuda:999", "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--devices").contains("not available");
    }

    @Test
    void emptyDataFileIsNamed(@TempDir Path dir) throws IOException {
        Path data = Files.writeString(dir.resolve("empty.jsonl"), "");

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format", "pairs",
                "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains(data + " contains no preference pairs");
    }

    @Test
    void skippedRecordsAreCountedInMetrics(@TempDir Path dir) throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            rows.append("{\"prompt\": \"Question ").append(i).append("\", \"chosen\": \"A kind answer ").append(i)
                    .append("\", \"rejected\": \"No.\"}\n");
        }
        rows.append("{\"prompt\": \"Hi\", \"chosen\": \"Hello\"}\n");
        Path data = Files.writeString(dir.resolve("pairs.jsonl"), rows.toString());
        Path out = dir.resolve("run");

        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", data.toString(), "--format", "pairs",
                "--skip-bad-records", "--no-cache", "--held-out", "0.3", "--batch", "4", "--micro-batch", "4",
                "--max-steps", "1", "--out", out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertThat(metrics).contains("\"dropped_reading\": {\n    \"malformed\": 1\n  }");
    }

    @Test
    void folderAsDataIsNamed(@TempDir Path dir) {
        CommandRunner.Result result = CommandRunner.run("train-reward", "--data", dir.toString(), "--format", "pairs",
                "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--data " + dir + " is a folder");
    }
}
