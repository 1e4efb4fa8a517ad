package org.rlhf4j.algorithms.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.eval.PairwiseEvaluator;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.algorithms.toy.SoftplusBtLoss;
import org.rlhf4j.algorithms.toy.ToyData;
import org.rlhf4j.models.BundledModels;
import org.rlhf4j.models.chat.PlainChatTemplate;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;

/**
 * Trains the Llama reward model built from the bundled 260K-parameter stories model, and skips when
 * the file is absent.
 */
class LlamaRewardTrainingTest {

    private static LlamaRewardModel loadModel() throws IOException {
        Optional<Path> file = BundledModels.stories260K();
        Assumptions.assumeTrue(file.isPresent(),
                "stories260K.gguf not found under bundled/" + BundledModels.STORIES_260K);
        return LlamaRewardModel.fromGguf(file.get(), RewardHeadSpec.scalar(), 1, Device.cpu());
    }

    private static List<EncodedPair> encode(LlamaRewardModel model, int count, long seed) {
        PairEncoder encoder = new PairEncoder(model.tokenizer(), new PlainChatTemplate(), 64, TruncationMode.FILTER);
        return encoder.encode(ToyData.pairs(count, seed)).pairs();
    }

    private static RewardTrainerConfig.Builder config(LlamaRewardModel model) {
        return RewardTrainerConfig.builder().learningRate(1e-3).warmupSteps(0).globalBatchPairs(16).microBatchPairs(4)
                .padTokenId(model.tokenizer().padId());
    }

    @Test
    void lossFallsAndArraysStayConstant() throws IOException {
        try (LlamaRewardModel model = loadModel()) {
            List<EncodedPair> pairs = encode(model, 32, 40);
            int before = model.manager().getManagedArrays().size();
            List<Integer> counts = new ArrayList<>();
            TrainingResult result;
            RewardTrainerConfig config = config(model).epochs(3).build();
            try (RewardTrainer trainer = new RewardTrainer(model, new SoftplusBtLoss(), config)) {
                trainer.addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics metrics) {}

                    @Override
                    public void onEpochEnd(int epoch, long step) {
                        counts.add(model.manager().getManagedArrays().size());
                    }
                });
                result = trainer.train(pairs);
            }

            assertThat(result.lastLoss()).isLessThan(result.firstLoss() / 10);
            assertThat(counts).hasSize(3);
            assertThat(counts.get(2)).isEqualTo(counts.get(0));
            assertThat(model.manager().getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void paddingSidesGiveSameScores() throws IOException {
        try (LlamaRewardModel model = loadModel()) {
            List<EncodedPair> pairs = encode(model, 12, 41);
            int pad = model.tokenizer().padId();

            PairwiseReport left = new PairwiseEvaluator(model, 5, PaddingSide.LEFT, pad).evaluate(pairs);
            PairwiseReport right = new PairwiseEvaluator(model, 5, PaddingSide.RIGHT, pad).evaluate(pairs);

            for (int i = 0; i < pairs.size(); i++) {
                assertThat(left.chosenScores()[i]).isCloseTo(right.chosenScores()[i], within(1e-4f));
                assertThat(left.rejectedScores()[i]).isCloseTo(right.rejectedScores()[i], within(1e-4f));
            }
        }
    }

    @Test
    void accumulationMatchesFullBatch() throws IOException {
        // Adam's first step divides by |g| + 1e-8, so weights with near-zero gradients amplify rounding
        // differences; the step loss and gradient norm compare the accumulated gradient itself.
        try (LlamaRewardModel accumulated = loadModel(); LlamaRewardModel fullBatch = loadModel()) {
            List<EncodedPair> pairs = encode(accumulated, 16, 42);
            List<StepMetrics> microSteps = new ArrayList<>();
            List<StepMetrics> fullSteps = new ArrayList<>();

            try (RewardTrainer micro = new RewardTrainer(accumulated, new SoftplusBtLoss(),
                            config(accumulated).microBatchPairs(4).maxSteps(1).build());
                    RewardTrainer full = new RewardTrainer(fullBatch, new SoftplusBtLoss(),
                            config(fullBatch).microBatchPairs(16).maxSteps(1).build())) {
                micro.addListener(microSteps::add);
                full.addListener(fullSteps::add);
                micro.train(pairs);
                full.train(pairs);
            }

            assertThat(microSteps.get(0).loss()).isCloseTo(fullSteps.get(0).loss(), within(1e-6));
            assertThat(microSteps.get(0).gradNorm()).isCloseTo(fullSteps.get(0).gradNorm(),
                    within(1e-5 * fullSteps.get(0).gradNorm()));
        }
    }
}
