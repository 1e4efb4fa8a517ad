package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.RewardTrainer;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.TrainingResult;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.data.source.HelpSteer2Source;
import org.rlhf4j.models.BundledModels;
import org.rlhf4j.models.chat.PlainChatTemplate;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;

/**
 * Trains regression heads on the bundled 260K-parameter stories model and starts pairwise training
 * from a saved regression model. Skips when the model file is absent.
 */
class LlamaRegressionTest {

    private static final int MAX_LENGTH = 64;

    @TempDir
    Path dir;

    private static Path stories() {
        Optional<Path> file = BundledModels.stories260K();
        Assumptions.assumeTrue(file.isPresent(),
                "stories260K.gguf not found under bundled/" + BundledModels.STORIES_260K);
        return file.get();
    }

    private static LlamaRewardModel fromGguf(RewardHeadSpec head) throws IOException {
        return LlamaRewardModel.fromGguf(stories(), head, 3, Device.cpu());
    }

    private static List<EncodedRated> encode(LlamaRewardModel model, RegressionTargets targets,
            List<RatedResponse> records) {
        return new RatedEncoder(model.tokenizer(), new PlainChatTemplate(), targets, MAX_LENGTH,
                TruncationMode.TRUNCATE).encode(records).examples();
    }

    private static List<EncodedPair> encodePairs(LlamaRewardModel model) {
        return new PairEncoder(model.tokenizer(), new PlainChatTemplate(), MAX_LENGTH, TruncationMode.FILTER)
                .encode(StoryData.pairs(16)).pairs();
    }

    private static RegressionTrainerConfig.Builder regressionConfig(LlamaRewardModel model) {
        return RegressionTrainerConfig.builder().learningRate(1e-3).warmupSteps(0).globalBatchSize(8)
                .microBatchSize(8).padTokenId(model.tokenizer().padId()).logEvery(100);
    }

    private static RewardTrainerConfig.Builder pairConfig(LlamaRewardModel model) {
        return RewardTrainerConfig.builder().learningRate(1e-3).warmupSteps(0).globalBatchPairs(8)
                .microBatchPairs(4).padTokenId(model.tokenizer().padId()).logEvery(100);
    }

    @Test
    void cardExampleAndStoriesLowerLoss() throws IOException {
        Path card = SharedData.require(SharedData.HELPSTEER2_CARD_RATINGS);
        List<RatedResponse> records = new ArrayList<>(new HelpSteer2Source().open(card, ReadOptions.strict())
                .readAll());
        records.addAll(StoryData.rated(23));
        RegressionTargets targets = RegressionTargets.helpSteer2();
        try (LlamaRewardModel model = fromGguf(targets.headSpec())) {
            List<EncodedRated> examples = encode(model, targets, records);
            RegressionResult result;
            try (RegressionTrainer trainer = new RegressionTrainer(model, PluginLosses.regression(),
                    regressionConfig(model).epochs(8).build())) {
                result = trainer.train(examples);
            }

            assertThat(examples).hasSize(24);
            assertThat(examples.get(0).ids()).hasSize(MAX_LENGTH);
            assertThat(examples.get(0).labels()).containsExactly(3f, 4f, 4f, 2f, 1f);
            assertThat(result.steps()).isEqualTo(24);
            assertThat(result.lastLoss()).isLessThan(result.firstLoss() / 4);
        }
    }

    @Test
    void loadedRegressionRewardIsHelpfulnessSlot() throws IOException {
        RegressionTargets targets = RegressionTargets.helpSteer2HelpfulnessOnly();
        Path saved = dir.resolve("regression");
        try (LlamaRewardModel model = fromGguf(targets.headSpec())) {
            model.save(saved);
        }

        try (LlamaRewardModel loaded = LlamaRewardModel.load(saved, null, Device.cpu());
                NDManager scope = loaded.manager().newSubManager()) {
            List<EncodedRated> examples = encode(loaded, targets, StoryData.rated(6));
            RegressionBatch batch = RegressionBatch.of(examples, PaddingSide.RIGHT, loaded.tokenizer().padId());
            NDArray outputs = loaded.forward(batch.idsArray(scope), batch.maskArray(scope));
            NDArray rewards = loaded.reward(batch.idsArray(scope), batch.maskArray(scope));

            assertThat(loaded.head()).isEqualTo(targets.headSpec());
            assertThat(outputs.getShape()).isEqualTo(new Shape(6, 5));
            assertThat(rewards.toFloatArray()).containsExactly(outputs.get(":, 0").toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"BradleyTerryLoss", "MarginBradleyTerryLoss", "ScaledBradleyTerryLoss"})
    void pairwiseTrainingFromRegressionKeepsHead(String lossClass) throws IOException {
        RegressionTargets targets = RegressionTargets.helpSteer2HelpfulnessOnly();
        Path regression = dir.resolve("regression");
        Path pairwise = dir.resolve("pairwise");
        try (LlamaRewardModel model = fromGguf(targets.headSpec());
                RegressionTrainer trainer = new RegressionTrainer(model, PluginLosses.regression(),
                        regressionConfig(model).epochs(2).build())) {
            trainer.train(encode(model, targets, StoryData.rated(16)));
            model.save(regression);
        }

        TrainingResult result;
        float[] weightBefore;
        float[] weightAfter;
        float[] biasBefore;
        float[] biasAfter;
        try (LlamaRewardModel model = LlamaRewardModel.load(regression, null, Device.cpu())) {
            weightBefore = model.parameters().get(LlamaRewardModel.HEAD_WEIGHT).toFloatArray();
            biasBefore = model.parameters().get(LlamaRewardModel.HEAD_BIAS).toFloatArray();
            try (RewardTrainer trainer = new RewardTrainer(model, PluginLosses.pairwise(lossClass),
                    pairConfig(model).epochs(2).build())) {
                result = trainer.train(encodePairs(model));
            }
            weightAfter = model.parameters().get(LlamaRewardModel.HEAD_WEIGHT).toFloatArray();
            biasAfter = model.parameters().get(LlamaRewardModel.HEAD_BIAS).toFloatArray();
            model.save(pairwise);
        }

        // The head weight is [5, 64]. Row 0 is helpfulness, the reward slot that the pairwise loss trains.
        int width = weightBefore.length / 5;
        assertThat(result.steps()).isEqualTo(4);
        assertThat(Arrays.copyOfRange(weightAfter, 0, width))
                .isNotEqualTo(Arrays.copyOfRange(weightBefore, 0, width));
        assertThat(Arrays.copyOfRange(weightAfter, width, weightAfter.length))
                .containsExactly(Arrays.copyOfRange(weightBefore, width, weightBefore.length));
        assertThat(Arrays.copyOfRange(biasAfter, 1, 5)).containsExactly(Arrays.copyOfRange(biasBefore, 1, 5));
        try (LlamaRewardModel reloaded = LlamaRewardModel.load(pairwise, targets.headSpec(), Device.cpu())) {
            assertThat(reloaded.head()).isEqualTo(targets.headSpec());
            assertThat(reloaded.head().attributes().get(reloaded.head().rewardIndex())).isEqualTo("helpfulness");
        }
    }

    @Test
    void pairwiseTrainingFromScratchStillWorks() throws IOException {
        Path saved = dir.resolve("scratch");
        TrainingResult result;
        try (LlamaRewardModel model = fromGguf(RewardHeadSpec.scalar());
                RewardTrainer trainer = new RewardTrainer(model, PluginLosses.scaledBt(),
                        pairConfig(model).epochs(3).build())) {
            result = trainer.train(encodePairs(model));
            model.save(saved);
        }

        assertThat(result.steps()).isEqualTo(6);
        assertThat(result.lastLoss()).isLessThan(result.firstLoss());
        try (LlamaRewardModel reloaded = LlamaRewardModel.load(saved, RewardHeadSpec.scalar(), Device.cpu())) {
            assertThat(reloaded.head().outputs()).isEqualTo(1);
        }
    }
}
