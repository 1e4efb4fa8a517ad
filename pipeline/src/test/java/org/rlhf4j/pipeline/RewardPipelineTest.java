package org.rlhf4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.data.Splits;
import org.rlhf4j.data.source.InstructionPreferenceSource;
import org.rlhf4j.hardware.Cluster;
import org.rlhf4j.hardware.GpuCatalog;
import org.rlhf4j.hardware.ModelShape;
import org.rlhf4j.hardware.PipelineKind;
import org.rlhf4j.hardware.PlacementException;
import org.rlhf4j.hardware.RoleSpec;
import org.rlhf4j.models.merge.ModelExtrapolation;

class RewardPipelineTest {

    private static Path gguf;
    private static List<PreferencePair> train;
    private static List<PreferencePair> heldOut;

    @BeforeAll
    static void loadData() throws IOException {
        Path bundled = findBundled();
        gguf = bundled.resolve("models/stories260K/stories260K.gguf");
        Path data = bundled.resolve("datasets/instruction-preference/instruction-data-with-preference.json");
        List<PreferencePair> all = new InstructionPreferenceSource().open(data, ReadOptions.strict()).readAll();
        Splits.Split<PreferencePair> split = Splits.pairs(all, 0.2, 42);
        train = split.train().subList(0, 256);
        heldOut = split.heldOut().subList(0, 128);
    }

    @Test
    void chainTrainsContinuesAndExtrapolates(@TempDir Path out) throws IOException {
        RewardTrainerConfig config = RewardTrainerConfig.builder()
                .learningRate(3e-3).warmupSteps(2).globalBatchPairs(32).microBatchPairs(16).epochs(2)
                .maxLength(96).truncationMode(TruncationMode.TRUNCATE).build();

        PipelineResult result = RewardPipeline.builder()
                .baseModel(gguf)
                .outputDirectory(out)
                .evaluationMaxLength(96)
                .stage(PairwiseStage.builder("bt").loss("bt").pairs(train).config(config).build())
                .stage(PairwiseStage.builder("scaled-bt").loss("scaled-bt").initFrom("bt").pairs(train)
                        .config(config).build())
                .stage(new ExtrapolationStage("expo", "bt", "scaled-bt", 0.0, ModelExtrapolation.Convention.ALPHA))
                .evaluate(new EvaluationSet("held-out", heldOut))
                .build()
                .run();

        assertThat(result.stages().keySet()).containsExactly("bt", "scaled-bt", "expo");
        assertThat(result.stages().get("scaled-bt").metrics()).containsEntry("init_from", "bt");
        // A stage that continues from a trained model starts from a lower loss than one with a new head.
        assertThat((double) result.stages().get("scaled-bt").metrics().get("loss_first"))
                .isLessThan((double) result.stages().get("bt").metrics().get("loss_first"));
        assertThat(result.accuracy("bt", "held-out")).isGreaterThan(0.6);
        assertThat(result.accuracy("expo", "held-out")).isEqualTo(result.accuracy("scaled-bt", "held-out"));
        assertThat(Files.exists(out.resolve("expo/model/model.json"))).isTrue();
        assertThat(out.resolve("bt/metrics.json")).exists();
        assertThat(out.resolve("bt/loss.png")).exists();
        assertThat(out.resolve("bt/accuracy.png")).exists();
        assertThat(out.resolve("expo/metrics.json")).exists();
        assertThat(out.resolve("expo/loss.png")).doesNotExist();
        assertThat(out.resolve("scaled-bt/eval-held-out/margins.png")).exists();
        String evaluation = Files.readString(out.resolve("bt/eval-held-out/metrics.json"));
        assertThat(evaluation).contains("\"accuracy\": " + result.accuracy("bt", "held-out"));
        assertThat(result.toMarkdown()).contains("| Stage | held-out |").contains("| expo |");
    }

    @Test
    void duplicateStageNamesAreRejected() {
        RewardTrainerConfig config = RewardTrainerConfig.builder().globalBatchPairs(4).microBatchPairs(4).build();
        PairwiseStage stage = PairwiseStage.builder("bt").pairs(train).config(config).build();

        assertThatThrownBy(() -> RewardPipeline.builder().baseModel(gguf).outputDirectory(Path.of("x"))
                .stage(stage).stage(stage).build())
                .hasMessageContaining("'bt' is used twice");
    }

    @Test
    void initFromUnknownStageFailsWithNames(@TempDir Path out) {
        RewardTrainerConfig config = RewardTrainerConfig.builder().globalBatchPairs(4).microBatchPairs(4).maxSteps(1)
                .build();
        RewardPipeline pipeline = RewardPipeline.builder().baseModel(gguf).outputDirectory(out)
                .stage(PairwiseStage.builder("scaled").initFrom("regression").pairs(train).config(config).build())
                .build();

        assertThatThrownBy(pipeline::run).hasMessageContaining("'regression'");
    }

    @Test
    void planThatCannotFitIsRejectedAtBuild() {
        RewardTrainerConfig config = RewardTrainerConfig.builder().globalBatchPairs(4).microBatchPairs(4).build();
        Cluster oneNode = Cluster.of(GpuCatalog.byName("h100-80gb-sxm"), 1);
        List<RoleSpec> roles = PipelineKind.PPO.roles(ModelShape.LLAMA_3_1_70B, 4096, 2);

        assertThatThrownBy(() -> RewardPipeline.builder().baseModel(gguf).outputDirectory(Path.of("x"))
                .stage(PairwiseStage.builder("bt").pairs(train).config(config).build())
                .targetCluster(oneNode, roles)
                .build())
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("GB");
    }

    @Test
    void planThatFitsIsKept() {
        RewardTrainerConfig config = RewardTrainerConfig.builder().globalBatchPairs(4).microBatchPairs(4).build();
        Cluster eightNodes = Cluster.of(GpuCatalog.byName("h100-80gb-sxm"), 8);
        List<RoleSpec> roles = PipelineKind.REWARD.roles(ModelShape.LLAMA_3_1_70B, 4096, 2);

        RewardPipeline pipeline = RewardPipeline.builder().baseModel(gguf).outputDirectory(Path.of("x"))
                .stage(PairwiseStage.builder("bt").pairs(train).config(config).build())
                .targetCluster(eightNodes, roles)
                .build();

        assertThat(pipeline.placement().feasible()).isTrue();
    }

    private static Path findBundled() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("bundled/models"))) {
                return dir.resolve("bundled");
            }
        }
        throw new IllegalStateException("bundled/ not found above " + Path.of("").toAbsolutePath());
    }
}
