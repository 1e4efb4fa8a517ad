package org.rlhf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.merge.ExtrapolationManifest;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;

class EvaluationCommandsTest {

    @Test
    void rewardBenchScoreMarksMissingSections(@TempDir Path dir) throws IOException {
        Path scores = dir.resolve("scores.jsonl");
        Files.write(scores, List.of(
                "{\"id\": 1, \"subset\": \"alpacaeval-easy\", \"score_chosen\": 2.0, \"score_rejected\": 1.0}",
                "{\"id\": 2, \"subset\": \"alpacaeval-easy\", \"score_chosen\": 1.0, \"score_rejected\": 1.0}",
                "{\"id\": 3, \"subset\": \"llmbar-natural\", \"score_chosen\": 0.5, \"score_rejected\": 0.1}"));
        Path json = dir.resolve("report.json");

        CommandRunner.Result result = CommandRunner.run("rewardbench-score", "--scores", scores.toString(),
                "--variant", "test", "--json", json.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("| Model type | Variant | Overall | Chat | Chat-Hard | Safety | Reasoning |");
        assertThat(result.out()).contains("test");
        assertThat(result.out()).contains("*");
        assertThat(Files.readString(json)).contains("alpacaeval-easy");
    }

    @Test
    void rewardBenchScoreRejectsQuotedScore(@TempDir Path dir) throws IOException {
        Path scores = dir.resolve("scores.jsonl");
        Files.write(scores, List.of(
                "{\"id\": 1, \"subset\": \"alpacaeval-easy\", \"score_chosen\": \"2.0\", \"score_rejected\": 1.0}"));

        CommandRunner.Result result = CommandRunner.run("rewardbench-score", "--scores", scores.toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("scores.jsonl:1").contains("score_chosen");
    }

    @Test
    void extrapolateWritesAlphaUnderConvention(@TempDir Path dir) throws IOException {
        Path gguf = BundledAssets.resolve(BundledAssets.MODEL);
        try (LlamaRewardModel weak = LlamaRewardModel.fromGguf(gguf, RewardHeadSpec.scalar(), 1);
                LlamaRewardModel strong = LlamaRewardModel.fromGguf(gguf, RewardHeadSpec.scalar(), 2)) {
            weak.save(dir.resolve("weak"));
            strong.save(dir.resolve("strong"));
        }

        CommandRunner.Result result = CommandRunner.run("extrapolate", "--weak", dir.resolve("weak").toString(),
                "--strong", dir.resolve("strong").toString(), "--factor", "1.52", "--convention", "total-multiplier",
                "--out", dir.resolve("expo").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        ExtrapolationManifest manifest = ExtrapolationManifest.read(dir.resolve("expo"));
        assertThat(manifest.alpha()).isCloseTo(0.52, org.assertj.core.data.Offset.offset(1e-9));
        try (LlamaRewardModel loaded = LlamaRewardModel.load(dir.resolve("expo"), RewardHeadSpec.scalar())) {
            assertThat(loaded.head()).isEqualTo(RewardHeadSpec.scalar());
        }
    }

    @Test
    void convertLlmBarWritesFiveSubsets(@TempDir Path dir) throws IOException {
        Path llmbar = BundledAssets.resolve("datasets/llmbar/llmbar_natural.json").getParent();
        Path out = dir.resolve("llmbar.jsonl");

        CommandRunner.Result result = CommandRunner.run("convert-llmbar", "--in", llmbar.toString(), "--out",
                out.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(419);
        assertThat(result.out()).contains("419");
    }

    @Test
    void reportOverScoresFileIsRejected(@TempDir Path dir) throws IOException {
        Path scores = Files.writeString(dir.resolve("scores.jsonl"),
                "{\"id\": \"a\", \"subset\": \"alpacaeval-easy\", \"score_chosen\": 1.0, \"score_rejected\": 0.0}\n");
        String before = Files.readString(scores);

        CommandRunner.Result result = CommandRunner.run("rewardbench-score", "--scores", scores.toString(),
                "--markdown", scores.toString());

        assertThat(result.exitCode()).isEqualTo(Main.EXIT_INVALID_INPUT);
        assertThat(result.err()).contains("--markdown").contains("is the --scores file");
        assertThat(Files.readString(scores)).isEqualTo(before);
    }

    @Test
    void evaluatedScoresFeedRewardBenchScore(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        try (LlamaRewardModel reward = LlamaRewardModel.fromGguf(BundledAssets.resolve(BundledAssets.MODEL),
                RewardHeadSpec.scalar(), 5)) {
            reward.save(model);
        }
        Path pairs = dir.resolve("pairs.jsonl");
        Files.write(pairs, List.of(
                "{\"id\": \"a\", \"subset\": \"llmbar-natural\", \"prompt\": \"Name a color.\", "
                        + "\"chosen\": \"Blue.\", \"rejected\": \"A dog.\"}",
                "{\"id\": \"b\", \"subset\": \"llmbar-natural\", \"prompt\": \"Add 2 and 2.\", "
                        + "\"chosen\": \"4\", \"rejected\": \"5\"}",
                "{\"id\": \"c\", \"subset\": \"alpacaeval-easy\", \"prompt\": \"Say hi.\", "
                        + "\"chosen\": \"Hi!\", \"rejected\": \"Bye.\"}"));
        Path scores = dir.resolve("scores.jsonl");

        CommandRunner.Result evaluated = CommandRunner.run("evaluate-reward", "--model", model.toString(), "--data",
                pairs.toString(), "--format", "pairs", "--scores", scores.toString());
        CommandRunner.Result scored = CommandRunner.run("rewardbench-score", "--scores", scores.toString());

        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        List<String> lines = Files.readAllLines(scores);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"id\":\"a\",\"subset\":\"llmbar-natural\",\"score_chosen\":");
        assertThat(scored.exitCode()).as(scored.err()).isZero();
        assertThat(scored.out()).contains("| Model type | Variant | Overall | Chat | Chat-Hard | Safety | Reasoning |");
    }
}
