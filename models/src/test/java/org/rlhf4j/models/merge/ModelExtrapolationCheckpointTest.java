package org.rlhf4j.models.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.TestModels;
import org.rlhf4j.models.merge.ModelExtrapolation.Convention;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;

/** Extrapolates checkpoints saved from the bundled stories260K model and checks the files and rewards. */
class ModelExtrapolationCheckpointTest {

    private static final List<String> TEXTS = List.of(
            "Once upon a time, there was a little girl named Lily. She loved to play outside.",
            "Tom had a red ball.",
            "The sun was hot and the sky was blue, so they went to the park to play.",
            "Mom made a cake.");

    @TempDir
    static Path sources;

    /** Seed 1 head. */
    private static Path weakDir;
    /** Seed 2 head on the same decoder, so only the head differs from {@link #weakDir}. */
    private static Path strongDir;
    /** Seed 2 head with noise added to every decoder parameter, as if the decoder had been trained too. */
    private static Path tunedDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void saveSources() throws IOException {
        Path gguf = TestModels.stories260K();
        weakDir = save(gguf, RewardHeadSpec.scalar(), 1L, false, sources.resolve("weak"));
        strongDir = save(gguf, RewardHeadSpec.scalar(), 2L, false, sources.resolve("strong"));
        tunedDir = save(gguf, RewardHeadSpec.scalar(), 2L, true, sources.resolve("tuned"));
    }

    private static Path save(Path gguf, RewardHeadSpec head, long seed, boolean perturbDecoder, Path directory)
            throws IOException {
        try (LlamaRewardModel model = LlamaRewardModel.fromGguf(gguf, head, seed)) {
            if (perturbDecoder) {
                addNoise(model, new Random(seed));
            }
            model.save(directory);
        }
        return directory;
    }

    private static void addNoise(LlamaRewardModel model, Random random) {
        for (Map.Entry<String, NDArray> entry : model.decoder().parameters().entrySet()) {
            NDArray parameter = entry.getValue();
            float[] noise = new float[Math.toIntExact(parameter.size())];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (random.nextGaussian() * 0.02);
            }
            try (NDArray delta = model.manager().create(noise, parameter.getShape())) {
                parameter.addi(delta);
            }
        }
    }

    /** Scores each text alone, with no padding. */
    private static float[] rewards(LlamaRewardModel model) {
        float[] rewards = new float[TEXTS.size()];
        for (int i = 0; i < rewards.length; i++) {
            int[] ids = model.tokenizer().encodeWithSpecials(TEXTS.get(i), true, true);
            long[] wide = new long[ids.length];
            for (int t = 0; t < ids.length; t++) {
                wide[t] = ids[t];
            }
            try (NDManager step = model.manager().newSubManager()) {
                Shape shape = new Shape(1, ids.length);
                NDArray input = step.create(wide, shape);
                rewards[i] = model.reward(input, step.ones(shape, DataType.INT64)).toFloatArray()[0];
            }
        }
        return rewards;
    }

    private static float[] rewardsOf(Path checkpoint) throws IOException {
        try (LlamaRewardModel model = LlamaRewardModel.load(checkpoint, RewardHeadSpec.scalar())) {
            return rewards(model);
        }
    }

    private static String weightsSha256(Path checkpoint) throws IOException {
        return CheckpointFiles.sha256(checkpoint.resolve(CheckpointFiles.WEIGHTS_FILE));
    }

    private Path copy(Path checkpoint, String name) throws IOException {
        Path target = Files.createDirectory(dir.resolve(name));
        try (Stream<Path> files = Files.list(checkpoint)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    @Test
    void headOnlyChangeGivesLinearRewards() throws IOException {
        Path out = dir.resolve("out");

        ModelExtrapolation.extrapolate(weakDir, strongDir, 0.5, Convention.ALPHA, out);

        // The decoders are equal, so each reward is linear in the head: r = r_s + 0.5 (r_s - r_w).
        float[] weak = rewardsOf(weakDir);
        float[] strong = rewardsOf(strongDir);
        float[] extrapolated = rewardsOf(out);
        for (int i = 0; i < TEXTS.size(); i++) {
            float expected = strong[i] + 0.5f * (strong[i] - weak[i]);
            assertThat(extrapolated[i]).as("reward of text %d", i).isCloseTo(expected, within(1e-5f));
            assertThat(extrapolated[i]).as("reward of text %d", i).isNotCloseTo(strong[i], within(1e-4f));
        }
    }

    @Test
    void checkpointMatchesInMemoryFormula() throws IOException {
        Path out = dir.resolve("out");
        double alpha = Convention.TOTAL_MULTIPLIER.toAlpha(ModelExtrapolation.REPORTED_FACTOR);

        ModelExtrapolation.extrapolate(weakDir, tunedDir, ModelExtrapolation.REPORTED_FACTOR,
                Convention.TOTAL_MULTIPLIER, out);

        try (LlamaRewardModel weak = LlamaRewardModel.load(weakDir, null);
                LlamaRewardModel tuned = LlamaRewardModel.load(tunedDir, null);
                LlamaRewardModel expected = LlamaRewardModel.load(tunedDir, null);
                LlamaRewardModel extrapolated = LlamaRewardModel.load(out, RewardHeadSpec.scalar())) {
            Map<String, NDArray> formula =
                    ModelExtrapolation.extrapolate(weak.parameters(), tuned.parameters(), alpha, expected.manager());
            assertThat(extrapolated.parameters().keySet()).containsExactlyElementsOf(formula.keySet());
            for (Map.Entry<String, NDArray> entry : formula.entrySet()) {
                String name = entry.getKey();
                float[] values = entry.getValue().toFloatArray();
                assertThat(extrapolated.parameters().get(name).toFloatArray()).as(name).containsExactly(values);
                entry.getValue().copyTo(expected.parameters().get(name));
            }
            float[] rewards = rewards(extrapolated);
            assertThat(rewards).containsExactly(rewards(expected));
            assertThat(rewards[0]).isNotCloseTo(rewards(tuned)[0], within(1e-4f));
            float[] embedding = extrapolated.parameters().get("token_embd.weight").toFloatArray();
            assertThat(embedding).isNotEqualTo(tuned.parameters().get("token_embd.weight").toFloatArray());
        }
    }

    @Test
    void manifestRecordsSourcesAndFactor() throws IOException {
        Path out = dir.resolve("out");

        ExtrapolationManifest manifest = ModelExtrapolation.extrapolate(weakDir, tunedDir,
                ModelExtrapolation.REPORTED_FACTOR, Convention.TOTAL_MULTIPLIER, out);

        assertThat(ExtrapolationManifest.read(out)).isEqualTo(manifest);
        assertThat(manifest.weak().directory()).isEqualTo(weakDir.toAbsolutePath());
        assertThat(manifest.weak().weightsSha256()).isEqualTo(weightsSha256(weakDir));
        assertThat(manifest.strong().directory()).isEqualTo(tunedDir.toAbsolutePath());
        assertThat(manifest.strong().weightsSha256()).isEqualTo(weightsSha256(tunedDir));
        assertThat(manifest.strong().tokenizerSha256())
                .isEqualTo(CheckpointFiles.sha256(tunedDir.resolve(CheckpointFiles.TOKENIZER_FILE)));
        assertThat(manifest.factor()).isEqualTo(1.52);
        assertThat(manifest.convention()).isEqualTo(Convention.TOTAL_MULTIPLIER);
        assertThat(manifest.alpha()).isCloseTo(0.52, within(1e-15));
        assertThat(manifest.weightsSha256()).isEqualTo(weightsSha256(out));
        String json = Files.readString(out.resolve(ExtrapolationManifest.FILE_NAME));
        assertThat(json).contains("\"convention\": \"TOTAL_MULTIPLIER\"", "\"factor\": 1.52", "\"alpha\": 0.52");
        assertThat(Files.readAllBytes(out.resolve(CheckpointFiles.TOKENIZER_FILE)))
                .isEqualTo(Files.readAllBytes(tunedDir.resolve(CheckpointFiles.TOKENIZER_FILE)));
    }

    @Test
    void alphaZeroReproducesStrongWeights() throws IOException {
        Path out = dir.resolve("out");

        ModelExtrapolation.extrapolate(weakDir, tunedDir, 0.0, out);

        assertThat(weightsSha256(out)).isEqualTo(weightsSha256(tunedDir));
    }

    @Test
    void alphaMinusOneReproducesWeakWeights() throws IOException {
        Path out = dir.resolve("out");

        ModelExtrapolation.extrapolate(weakDir, tunedDir, -1.0, Convention.ALPHA, out);

        assertThat(weightsSha256(out)).isEqualTo(weightsSha256(weakDir));
    }

    @Test
    void totalMultiplierZeroReproducesWeakWeights() throws IOException {
        Path out = dir.resolve("out");

        ExtrapolationManifest manifest = ModelExtrapolation.extrapolate(weakDir, tunedDir, 0.0,
                Convention.TOTAL_MULTIPLIER, out);

        assertThat(manifest.alpha()).isEqualTo(-1.0);
        assertThat(weightsSha256(out)).isEqualTo(weightsSha256(weakDir));
    }

    @Test
    void differentConfigIsRejected() throws IOException {
        Path weak = copy(weakDir, "weak-long-context");
        Path modelJson = weak.resolve(CheckpointFiles.MODEL_FILE);
        JsonObject root = JsonParser.parseString(Files.readString(modelJson)).getAsJsonObject();
        JsonObject config = root.getAsJsonObject("config");
        config.addProperty("context_length", config.get("context_length").getAsInt() * 2);
        Files.writeString(modelJson, root.toString(), StandardCharsets.UTF_8);
        String weakConfig;
        String strongConfig;
        try (LlamaRewardModel first = LlamaRewardModel.load(weak, null);
                LlamaRewardModel second = LlamaRewardModel.load(strongDir, null)) {
            weakConfig = first.decoder().config().toString();
            strongConfig = second.decoder().config().toString();
        }

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weak, strongDir, 0.5, dir.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the decoder configurations differ: the weak checkpoint " + weak + " has " + weakConfig
                        + " but the strong checkpoint " + strongDir + " has " + strongConfig);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void differentHeadIsRejected() throws IOException {
        RewardHeadSpec helpfulness = new RewardHeadSpec(List.of("helpfulness"), 0);
        Path weak = save(TestModels.stories260K(), helpfulness, 1L, false, dir.resolve("helpfulness"));

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weak, strongDir, 0.5, dir.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the reward heads differ: the weak checkpoint " + weak + " has " + helpfulness
                        + " but the strong checkpoint " + strongDir + " has " + RewardHeadSpec.scalar());
    }

    @Test
    void differentTokenizerIsRejected() throws IOException {
        Path weak = copy(weakDir, "weak-other-tokenizer");
        Path tokenizer = weak.resolve(CheckpointFiles.TOKENIZER_FILE);
        Files.writeString(tokenizer, "\n", StandardOpenOption.APPEND);
        String weakSha256 = CheckpointFiles.sha256(tokenizer);
        String strongSha256 = CheckpointFiles.sha256(strongDir.resolve(CheckpointFiles.TOKENIZER_FILE));

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weak, strongDir, 0.5, dir.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the tokenizers differ: the weak checkpoint " + weak + " has tokenizer.json with SHA-256 "
                        + weakSha256 + " but the strong checkpoint " + strongDir + " has SHA-256 " + strongSha256
                        + ". Both models must read the same token ids");
    }

    @Test
    void outputOverSourceIsRejected() throws IOException {
        String before = weightsSha256(strongDir);

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weakDir, strongDir, 0.5, strongDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the output directory " + strongDir + " is one of the source checkpoints");
        assertThat(weightsSha256(strongDir)).isEqualTo(before);
    }

    @Test
    void unrelatedOutputDirectoryIsKept() throws IOException {
        Path out = Files.createDirectory(dir.resolve("notes"));
        Files.writeString(out.resolve("todo.txt"), "keep me");

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(weakDir, strongDir, 0.5, out))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is a non-empty directory without model.json");
        assertThat(out.resolve("todo.txt")).hasContent("keep me");
    }

    @Test
    void existingOutputIsReplaced() throws IOException {
        Path out = dir.resolve("out");
        ModelExtrapolation.extrapolate(weakDir, tunedDir, 0.5, out);

        ExtrapolationManifest manifest = ModelExtrapolation.extrapolate(weakDir, tunedDir, 0.0, out);

        assertThat(ExtrapolationManifest.read(out)).isEqualTo(manifest);
        assertThat(weightsSha256(out)).isEqualTo(weightsSha256(tunedDir));
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("out");
        }
    }

    @Test
    void missingSourceFails() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> ModelExtrapolation.extrapolate(missing, strongDir, 0.5, dir.resolve("out")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.resolve("weights.safetensors") + " is missing");
    }
}
