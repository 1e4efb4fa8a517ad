package org.rlhf4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.policy.online.ReinforceConfig;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.Splits;
import org.rlhf4j.data.source.InstructionPreferenceSource;
import org.rlhf4j.models.generate.SamplingConfig;

/** Chains a tiny reward-model stage into REINFORCE on the bundled model and prompts. */
class PolicyPipelineTest {

    /** Id of the piece "." in the stories260K vocabulary; responses end there. */
    private static final int PERIOD = 426;

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
        train = split.train().subList(0, 64);
        heldOut = split.heldOut().subList(0, 32);
    }

    private static Path findBundled() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isDirectory(at.resolve("bundled/models"))) {
                return at.resolve("bundled");
            }
        }
        throw new IllegalStateException("no bundled/ folder above the working directory");
    }

    private static List<List<Turn>> prompts(List<PreferencePair> pairs) {
        List<List<Turn>> prompts = new ArrayList<>();
        pairs.forEach(pair -> prompts.add(pair.prompt()));
        return prompts;
    }

    private static ReinforceConfig tinyReinforce() {
        // Four samples of up to 24 tokens per prompt: enough of them end at "." for non-zero advantages.
        return ReinforceConfig.builder().samplesPerPrompt(4).promptsPerStep(2).steps(2).learningRate(3e-4)
                .warmupSteps(0).scheduleKind(LearningRateSchedule.Kind.CONSTANT)
                .sampling(SamplingConfig.builder().maxNewTokens(24).eosTokenId(PERIOD).build()).seed(3).build();
    }

    @Test
    void rewardStageChainsIntoReinforce(@TempDir Path out) throws IOException {
        RewardTrainerConfig rewardConfig = RewardTrainerConfig.builder().learningRate(3e-3).warmupSteps(0)
                .globalBatchPairs(8).microBatchPairs(8).maxSteps(2).maxLength(96)
                .truncationMode(TruncationMode.TRUNCATE).build();

        PolicyResult result = PolicyPipeline.builder()
                .algorithm("reinforce")
                .baseModel(gguf)
                .outputDirectory(out)
                .rewardStage(PairwiseStage.builder("reward").pairs(train).config(rewardConfig).build())
                .prompts(prompts(train), prompts(heldOut))
                .maxEvaluationPrompts(2)
                .evaluationSamples(2)
                .reinforce(tinyReinforce())
                .build()
                .run();

        assertThat(result.algorithm()).isEqualTo("reinforce");
        assertThat(result.rewardModel()).isEqualTo(out.resolve("reward").resolve("model"));
        assertThat(result.rewardModel().resolve("model.json")).exists();
        assertThat(result.steps()).hasSize(2);
        assertThat(result.metric("held_out_prompts")).isEqualTo(2.0);
        assertThat(result.metric("held_out_reward_before")).isFinite();
        assertThat(result.metric("kl_per_token_after")).isPositive();
        assertThat(result.policyWeights()).isEqualTo(out.resolve(PolicyPipeline.POLICY_FILE));
        assertThat(result.policyWeights()).exists();
        assertThat(out.resolve("metrics.json")).exists();
        assertThat(Files.readAllLines(out.resolve("steps.jsonl"))).hasSize(2);
        assertThat(out.resolve("reward.png")).exists();
        assertThat(out.resolve("kl.png")).exists();
    }

    @Test
    void unknownAlgorithmListsKnownNames(@TempDir Path out) {
        assertThatThrownBy(() -> PolicyPipeline.builder().algorithm("grpo").baseModel(gguf).outputDirectory(out)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'grpo'")
                .hasMessageContaining("reinforce")
                .hasMessageContaining("scaled-dpo");
    }

    @Test
    void onlineRunNeedsOneRewardModel(@TempDir Path out) {
        assertThatThrownBy(() -> PolicyPipeline.builder().algorithm("ppo").baseModel(gguf).outputDirectory(out)
                .prompts(prompts(train), prompts(heldOut)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of a saved reward model and a reward stage");
    }

    @Test
    void dpoNeedsPairs(@TempDir Path out) {
        assertThatThrownBy(() -> PolicyPipeline.builder().algorithm("ipo").baseModel(gguf).outputDirectory(out)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ipo needs training and held-out preference pairs");
    }
}
