package org.rlhf4j.pipeline.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;

class RecipePresetTest {

    private static final String MINIMAL = """
            {
              "name": "tiny",
              "base_model": "bundled:stories260K",
              "max_length": 64,
              "optimizer": {"weight_decay": 0.1, "beta1": 0.9, "beta2": 0.98, "max_grad_norm": 1.0},
              "stages": [
                {"name": "bt", "kind": "pairwise", "loss": "bt", "learning_rate": 1e-3, "schedule": "constant",
                 "warmup_steps": 2, "global_batch": 8, "micro_batch": 4, "epochs": 1}
              ]
            }
            """;

    @Test
    void publishedRecipeHasReferenceNumbers() {
        RecipePreset recipe = RecipePreset.builtIn("helpsteer2-preference-70b");

        StageSettings regression = recipe.stage("regression").orElseThrow();
        StageSettings scaled = recipe.stage("scaled-bt").orElseThrow();
        assertThat(regression.learningRate()).isEqualTo(2e-6);
        assertThat(regression.schedule()).isEqualTo("constant");
        assertThat(regression.warmupSteps()).isEqualTo(10);
        assertThat(regression.globalBatch()).isEqualTo(128);
        assertThat(regression.epochs()).isEqualTo(2);
        assertThat(regression.trainedAttributes()).containsExactly("helpfulness");
        assertThat(scaled.learningRate()).isEqualTo(1e-6);
        assertThat(scaled.globalBatch()).isEqualTo(64);
        assertThat(scaled.epochs()).isEqualTo(1);
        assertThat(scaled.loss()).isEqualTo("scaled-bt");
        assertThat(scaled.initFrom()).isEqualTo("regression");
        assertThat(recipe.optimizer().weightDecay()).isEqualTo(0.1);
        assertThat(recipe.optimizer().beta1()).isEqualTo(0.9);
        assertThat(recipe.optimizer().beta2()).isEqualTo(0.98);
        assertThat(recipe.optimizer().maxGradNorm()).isEqualTo(1.0);
        assertThat(recipe.maxLength()).isEqualTo(4096);
        assertThat(recipe.extrapolation().factor()).isEqualTo(1.52);
        assertThat(recipe.extrapolation().alpha()).isEqualTo(1.52);
    }

    @Test
    void cpuRecipeLoadsAndBuildsTrainerConfig() {
        RecipePreset recipe = RecipePreset.builtIn("cpu-small");
        StageSettings scaled = recipe.stage("scaled-bt").orElseThrow();

        RewardTrainerConfig config = scaled.toTrainerConfig(recipe.optimizer(), recipe.maxLength(), 7);

        assertThat(config.learningRate()).isEqualTo(scaled.learningRate());
        assertThat(config.schedule()).isEqualTo(LearningRateSchedule.Kind.COSINE);
        assertThat(config.globalBatchPairs()).isEqualTo(32);
        assertThat(config.microBatchPairs()).isEqualTo(16);
        assertThat(config.maxLength()).isEqualTo(192);
        assertThat(config.beta2()).isEqualTo(0.98);
        assertThat(config.seed()).isEqualTo(7);
    }

    @Test
    void totalMultiplierConventionGivesAlpha() {
        ExtrapolationSettings settings = new ExtrapolationSettings("a", "b", 1.52, "total-multiplier");

        assertThat(settings.alpha()).isCloseTo(0.52, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void fileRecipeLoads(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tiny.json");
        Files.writeString(file, MINIMAL);

        RecipePreset recipe = RecipePreset.load(file);

        assertThat(recipe.name()).isEqualTo("tiny");
        assertThat(recipe.stages()).hasSize(1);
        assertThat(recipe.optimizer().epsilon()).isEqualTo(1e-8);
        assertThat(recipe.extrapolation()).isNull();
    }

    @Test
    void unknownKeyIsNamed() {
        String json = MINIMAL.replace("\"epochs\": 1", "\"epochs\": 1, \"learnin_rate\": 2");

        assertThatThrownBy(() -> RecipePreset.parse("tiny.json", json))
                .isInstanceOf(RecipeFormatException.class)
                .hasMessageContaining("tiny.json")
                .hasMessageContaining("stages[0].learnin_rate")
                .hasMessageContaining("unknown key");
    }

    @Test
    void missingKeyIsNamed() {
        String json = MINIMAL.replace("\"max_length\": 64,", "");

        assertThatThrownBy(() -> RecipePreset.parse("tiny.json", json))
                .hasMessageContaining("key 'max_length'")
                .hasMessageContaining("missing");
    }

    @Test
    void wrongTypeIsNamed() {
        String json = MINIMAL.replace("\"global_batch\": 8", "\"global_batch\": \"8\"");

        assertThatThrownBy(() -> RecipePreset.parse("tiny.json", json))
                .hasMessageContaining("stages[0].global_batch")
                .hasMessageContaining("expected an integer");
    }

    @Test
    void fractionalBatchIsRejected() {
        String json = MINIMAL.replace("\"global_batch\": 8", "\"global_batch\": 8.5");

        assertThatThrownBy(() -> RecipePreset.parse("tiny.json", json))
                .hasMessageContaining("stages[0].global_batch");
    }

    @Test
    void microBatchMustDivideGlobalBatch() {
        String json = MINIMAL.replace("\"micro_batch\": 4", "\"micro_batch\": 3");

        assertThatThrownBy(() -> RecipePreset.parse("tiny.json", json))
                .hasMessageContaining("stages[0].micro_batch")
                .hasMessageContaining("multiple");
    }

    @Test
    void outOfRangeValueIsNamed() {
        String json = MINIMAL.replace("\"beta2\": 0.98", "\"beta2\": 1.5");

        assertThatThrownBy(() -> RecipePreset.parse("tiny.json", json))
                .hasMessageContaining("optimizer.beta2");
    }

    @Test
    void initFromMustNameEarlierStage() {
        String json = MINIMAL.replace("\"loss\": \"bt\",", "\"loss\": \"bt\", \"init_from\": \"regression\",");

        assertThatThrownBy(() -> RecipePreset.parse("tiny.json", json))
                .hasMessageContaining("stages[0].init_from")
                .hasMessageContaining("regression");
    }

    @Test
    void invalidJsonIsReported() {
        assertThatThrownBy(() -> RecipePreset.parse("tiny.json", "{\"name\": "))
                .isInstanceOf(RecipeFormatException.class)
                .hasMessageContaining("tiny.json")
                .hasMessageContaining("invalid JSON");
    }

    @Test
    void unknownBuiltInListsNames() {
        assertThatThrownBy(() -> RecipePreset.builtIn("70b"))
                .hasMessageContaining("helpsteer2-preference-70b")
                .hasMessageContaining("cpu-small");
    }
}
