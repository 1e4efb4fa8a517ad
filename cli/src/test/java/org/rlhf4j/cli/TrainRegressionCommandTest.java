package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression training on the bundled OpenAssistant ratings, and pairwise training started from it. */
class TrainRegressionCommandTest {

    private static final String OASST = "datasets/oasst2/oasst2_filtered.jsonl.gz";

    private static JsonObject metrics(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
    }

    @Test
    void helpfulnessOnlyModelStartsScaledBt(@TempDir Path dir) throws IOException {
        Path regression = dir.resolve("regression");

        CommandRunner.Result trained = CommandRunner.run("train-regression", "--data",
                BundledAssets.resolve(OASST).toString(), "--format", "oasst2", "--train-attributes", "helpfulness",
                "--max-steps", "8", "--out", regression.toString());
        CommandRunner.Result pairwise = CommandRunner.run("train-reward", "--data",
                BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE).toString(), "--format",
                "instruction-preference", "--init", regression.resolve("model").toString(), "--loss", "scaled-bt",
                "--max-pairs", "32", "--held-out", "0.05", "--max-steps", "2", "--out", dir.resolve("bt").toString());

        assertThat(trained.exitCode()).as(trained.err()).isZero();
        JsonObject metrics = metrics(regression);
        JsonObject helpfulness = metrics.getAsJsonObject("held_out_rmse").getAsJsonObject("helpfulness");
        // Measured: loss 4.13 -> 0.46 and helpfulness RMSE 3.04 -> 0.41 with all five attributes trained.
        assertThat(metrics.get("steps").getAsInt()).isEqualTo(8);
        assertThat(metrics.get("reward_attribute").getAsString()).isEqualTo("helpfulness");
        assertThat(metrics.get("loss_last").getAsDouble()).isLessThan(metrics.get("loss_first").getAsDouble());
        assertThat(helpfulness.get("rmse_after").getAsDouble())
                .isLessThan(helpfulness.get("rmse_before").getAsDouble());
        assertThat(regression.resolve("loss.png")).exists();
        assertThat(pairwise.exitCode()).as(pairwise.err()).isZero();
        assertThat(metrics(dir.resolve("bt")).get("steps").getAsInt()).isEqualTo(2);
    }

    @Test
    void pairDataIsRejected(@TempDir Path dir) {
        CommandRunner.Result result = CommandRunner.run("train-regression", "--data",
                BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE).toString(), "--format",
                "instruction-preference", "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("needs rated responses");
    }

    @Test
    void unknownTrainedAttributeIsNamed(@TempDir Path dir) {
        CommandRunner.Result result = CommandRunner.run("train-regression", "--data",
                BundledAssets.resolve(OASST).toString(), "--format", "oasst2", "--train-attributes", "wit",
                "--out", dir.resolve("run").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--train-attributes names 'wit'");
    }
}
