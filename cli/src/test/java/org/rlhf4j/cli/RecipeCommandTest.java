package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole comparison grid from a recipe file whose stages stop after two optimizer steps. */
class RecipeCommandTest {

    private static final String SHORT_RECIPE = """
            {
              "name": "smoke",
              "description": "Every grid stage for two optimizer steps.",
              "source": "test",
              "base_model": "bundled:stories260K",
              "max_length": 96,
              "optimizer": {"weight_decay": 0.01, "beta1": 0.9, "beta2": 0.98, "epsilon": 1e-8, "max_grad_norm": 1.0},
              "stages": [
                {"name": "regression", "kind": "regression", "loss": "regression",
                 "attributes": ["helpfulness", "quality"], "learning_rate": 3e-3, "schedule": "constant",
                 "warmup_steps": 0, "global_batch": 8, "micro_batch": 8, "epochs": 1, "max_steps": 2},
                {"name": "scaled-bt", "kind": "pairwise", "loss": "scaled-bt", "init_from": "regression",
                 "learning_rate": 1e-3, "schedule": "constant", "warmup_steps": 0, "global_batch": 8,
                 "micro_batch": 8, "epochs": 1, "max_steps": 2}
              ],
              "extrapolation": {"weak": "regression", "strong": "scaled-bt", "factor": 0.5, "convention": "alpha"}
            }
            """;

    private static final List<String> STAGES = List.of("regression-all", "regression-helpfulness", "bt", "margin-bt",
            "scaled-bt", "bt-from-regression", "margin-bt-from-regression", "scaled-bt-from-regression",
            "scaled-bt-from-regression-expo");

    @Test
    void shortRecipePrintsEveryVariant(@TempDir Path dir) throws IOException {
        Path recipe = Files.writeString(dir.resolve("smoke.json"), SHORT_RECIPE);
        Path out = dir.resolve("grid");

        CommandRunner.Result result = CommandRunner.run("recipe", "--recipe", recipe.toString(), "--out",
                out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject stages = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
                .getAsJsonObject("stages");
        assertThat(stages.keySet()).containsExactlyElementsOf(STAGES);
        for (String stage : STAGES) {
            JsonObject entry = stages.getAsJsonObject(stage);
            assertThat(entry.get("accuracy_llmbar").getAsDouble()).as(stage).isBetween(0.0, 1.0);
            assertThat(entry.get("accuracy_held_out").getAsDouble()).as(stage).isBetween(0.0, 1.0);
        }
        String table = Files.readString(out.resolve("table.md"));
        assertThat(table).contains("| BT (init. Helpfulness-Only Regression) | Scaled + ExPO |")
                .contains("| SteerLM Regression | All attributes (2) |")
                .contains("LLMBar (419)");
        assertThat(result.out()).contains("Grid finished in");
    }

    @Test
    void unknownRecipeKeyIsNamed(@TempDir Path dir) throws IOException {
        Path recipe = Files.writeString(dir.resolve("typo.json"),
                SHORT_RECIPE.replace("\"max_steps\": 2}", "\"max_step\": 2}"));

        CommandRunner.Result result = CommandRunner.run("recipe", "--recipe", recipe.toString(), "--out",
                dir.resolve("grid").toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("typo.json").contains("max_step");
    }
}
