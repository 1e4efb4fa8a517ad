package org.rlhf4j.models.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.TestModels;

class LlamaRewardModelTest {

    private static final String STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
    private static final List<String> TEXTS = List.of(
            "Once upon a time, there was a little girl named Lily. She loved to play outside.",
            "Once upon a time, there was a big dog. The dog was sad.",
            "Tom had a red ball.",
            "The sun was hot and the sky was blue, so they went to the park to play.",
            "Lily said hello.",
            "One day, a cat and a bird became friends. They played all day and were very happy.",
            "Mom made a cake.",
            "Ben saw a big tree in the garden and wanted to climb it.");

    private static LlamaRewardModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        model = LlamaRewardModel.fromGguf(TestModels.stories260K(), RewardHeadSpec.scalar(), 7L);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static int[] encode(LlamaRewardModel target, String text) {
        return target.tokenizer().encodeWithSpecials(text, true, true);
    }

    /** Scores sequences padded to a common length on one side, in one batch. */
    private static float[] rewards(LlamaRewardModel target, List<int[]> sequences, boolean leftPadding) {
        int length = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
        int batch = sequences.size();
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        Arrays.fill(ids, target.tokenizer().padId());
        for (int row = 0; row < batch; row++) {
            int[] sequence = sequences.get(row);
            int start = row * length + (leftPadding ? length - sequence.length : 0);
            for (int t = 0; t < sequence.length; t++) {
                ids[start + t] = sequence[t];
                mask[start + t] = 1;
            }
        }
        try (NDManager step = target.manager().newSubManager()) {
            NDArray input = step.create(ids, new Shape(batch, length));
            return target.reward(input, step.create(mask, new Shape(batch, length))).toFloatArray();
        }
    }

    @Test
    void lastTokenValuesReadsLeftPaddedRows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray outputs = manager.create(new float[] {0.9f, 0.9f, 0.1f, 0.2f, 0.7f, 0.3f, 0.3f, 0.3f, 0.3f, 0.4f},
                    new Shape(2, 5, 1));
            NDArray mask = manager.create(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 5));

            float[] scores = LlamaRewardModel.lastTokenValues(outputs, mask).toFloatArray();

            assertThat(scores).containsExactly(0.7f, 0.4f);
        }
    }

    @Test
    void lastTokenValuesReadsRightPaddedRows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray outputs = manager.create(new float[] {0.1f, 0.2f, 0.7f, 0.9f, 0.9f, 0.3f, 0.3f, 0.3f, 0.3f, 0.4f},
                    new Shape(2, 5, 1));
            NDArray mask = manager.create(new int[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, 5));

            float[] scores = LlamaRewardModel.lastTokenValues(outputs, mask).toFloatArray();

            assertThat(scores).containsExactly(0.7f, 0.4f);
        }
    }

    @Test
    void lastTokenValuesKeepsEveryOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray outputs = manager.arange(12f).reshape(2, 3, 2);
            NDArray mask = manager.create(new boolean[] {true, true, false, false, true, false}, new Shape(2, 3));

            NDArray values = LlamaRewardModel.lastTokenValues(outputs, mask);

            assertThat(values.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(values.toFloatArray()).containsExactly(2f, 3f, 8f, 9f);
        }
    }

    @Test
    void lastTokenValuesRejectsRowWithoutTokens() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray outputs = manager.zeros(new Shape(2, 3, 1));
            NDArray mask = manager.create(new long[] {1, 1, 0, 0, 0, 0}, new Shape(2, 3));

            assertThatThrownBy(() -> LlamaRewardModel.lastTokenValues(outputs, mask))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row 1");
        }
    }

    @Test
    void rewardsIgnorePaddingSide() {
        List<int[]> pair = List.of(encode(model, TEXTS.get(0)), encode(model, TEXTS.get(2)));

        float[] left = rewards(model, pair, true);
        float[] right = rewards(model, pair, false);

        assertThat(left[0]).isCloseTo(right[0], within(1e-5f));
        assertThat(left[1]).isCloseTo(right[1], within(1e-5f));
        assertThat(left[0]).isNotCloseTo(left[1], within(1e-4f));
    }

    @Test
    void rewardsIgnoreBatchSize() {
        List<int[]> sequences = TEXTS.stream().map(text -> encode(model, text)).toList();

        float[] batched = rewards(model, sequences, true);

        for (int i = 0; i < sequences.size(); i++) {
            float alone = rewards(model, List.of(sequences.get(i)), true)[0];
            assertThat(batched[i]).as("reward of sequence %d", i).isCloseTo(alone, within(1e-5f));
        }
    }

    @Test
    void rewardReadsLastRealToken() {
        int[] original = encode(model, TEXTS.get(4));
        int[] changed = original.clone();
        changed[changed.length - 1] = 317;

        float[] scores = rewards(model, List.of(original, changed), false);

        assertThat(scores[0]).isNotCloseTo(scores[1], within(1e-4f));
    }

    @Test
    void headIsSeeded() throws IOException {
        Path gguf = TestModels.stories260K();
        try (LlamaRewardModel same = LlamaRewardModel.fromGguf(gguf, RewardHeadSpec.scalar(), 7L);
                LlamaRewardModel other = LlamaRewardModel.fromGguf(gguf, RewardHeadSpec.scalar(), 8L)) {
            float[] weight = model.parameters().get(LlamaRewardModel.HEAD_WEIGHT).toFloatArray();

            assertThat(same.parameters().get(LlamaRewardModel.HEAD_WEIGHT).toFloatArray()).containsExactly(weight);
            assertThat(other.parameters().get(LlamaRewardModel.HEAD_WEIGHT).toFloatArray()).isNotEqualTo(weight);
            assertThat(model.parameters().get(LlamaRewardModel.HEAD_BIAS).toFloatArray()).containsExactly(0f);
            double meanSquare = 0;
            for (float w : weight) {
                meanSquare += w * w / weight.length;
            }
            // Expected variance 1/64; 64 samples put the estimate within about 0.006 of it most of the time.
            assertThat(meanSquare).isCloseTo(1.0 / 64, within(0.01));
        }
    }

    @Test
    void parametersEndWithHead() {
        List<String> names = List.copyOf(model.parameters().keySet());

        assertThat(names).hasSize(49);
        assertThat(names.get(0)).isEqualTo("token_embd.weight");
        assertThat(names.subList(47, 49)).containsExactly(LlamaRewardModel.HEAD_WEIGHT, LlamaRewardModel.HEAD_BIAS);
        assertThat(model.parameters().get(LlamaRewardModel.HEAD_WEIGHT).getShape()).isEqualTo(new Shape(1, 64));
        assertThat(model.head()).isEqualTo(RewardHeadSpec.scalar());
        assertThat(model.tokenizerSource()).isEqualTo(new TokenizerSource("stories260K.gguf", STORIES_SHA256));
    }

    @Test
    void forwardLeavesNoArraysInModelManager() {
        int before = model.manager().getManagedArrays().size();
        List<int[]> pair = List.of(encode(model, TEXTS.get(0)), encode(model, TEXTS.get(1)));

        for (int repetition = 0; repetition < 10; repetition++) {
            rewards(model, pair, repetition % 2 == 0);
        }

        assertThat(model.manager().getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void savedModelLoadsWithIdenticalRewards() throws IOException {
        Path saved = dir.resolve("rm");
        List<int[]> sequences = TEXTS.stream().map(text -> encode(model, text)).toList();
        float[] expected = rewards(model, sequences, true);
        int before = model.manager().getManagedArrays().size();

        model.save(saved);

        assertThat(model.manager().getManagedArrays().size()).isEqualTo(before);
        assertThat(saved.resolve("model.json")).isRegularFile();
        assertThat(saved.resolve("tokenizer.json")).isRegularFile();
        assertThat(saved.resolve("weights.safetensors")).isRegularFile();
        assertThat(Files.readString(saved.resolve("model.json"))).contains(STORIES_SHA256, "\"format_version\": 1");
        try (LlamaRewardModel loaded = LlamaRewardModel.load(saved, RewardHeadSpec.scalar())) {
            assertThat(rewards(loaded, sequences, true)).containsExactly(expected);
            assertThat(loaded.decoder().config()).isEqualTo(model.decoder().config());
            assertThat(loaded.tokenizerSource()).isEqualTo(model.tokenizerSource());
            assertThat(loaded.tokenizer().encode(TEXTS.get(0))).containsExactly(model.tokenizer().encode(TEXTS.get(0)));
            assertThat(loaded.parameters().keySet()).containsExactlyElementsOf(model.parameters().keySet());
        }
    }

    @Test
    void copyScoresAlikeAndSharesNoStorage() {
        List<int[]> sequences = TEXTS.stream().map(text -> encode(model, text)).toList();
        float[] expected = rewards(model, sequences, false);
        float[] headBefore = model.parameters().get(LlamaRewardModel.HEAD_WEIGHT).toFloatArray();

        try (LlamaRewardModel copy = model.copy(Device.cpu())) {
            float[] copied = rewards(copy, sequences, false);
            copy.parameters().get(LlamaRewardModel.HEAD_WEIGHT).muli(0f);

            assertThat(copied).containsExactly(expected);
            assertThat(copy.manager()).isNotSameAs(model.manager());
            assertThat(copy.parameters().keySet()).containsExactlyElementsOf(model.parameters().keySet());
            assertThat(copy.parameters().get(LlamaRewardModel.HEAD_BIAS).hasGradient()).isFalse();
            assertThat(model.parameters().get(LlamaRewardModel.HEAD_WEIGHT).toFloatArray())
                    .containsExactly(headBefore);
        }
    }

    @Test
    void saveReplacesExistingModel() throws IOException {
        Path saved = dir.resolve("rm");
        List<int[]> sequences = List.of(encode(model, TEXTS.get(3)));
        Path gguf = TestModels.stories260K();
        try (LlamaRewardModel first = LlamaRewardModel.fromGguf(gguf, RewardHeadSpec.scalar(), 1L)) {
            first.save(saved);
        }

        model.save(saved);

        try (LlamaRewardModel loaded = LlamaRewardModel.load(saved, null)) {
            assertThat(rewards(loaded, sequences, false)).containsExactly(rewards(model, sequences, false));
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("rm");
        }
    }

    @Test
    void loadRejectsCorruptWeights() throws IOException {
        Path saved = dir.resolve("rm");
        model.save(saved);
        Path weights = saved.resolve("weights.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(weights, bytes);

        assertThatThrownBy(() -> LlamaRewardModel.load(saved, RewardHeadSpec.scalar()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("corrupt or truncated");
    }

    @Test
    void loadRejectsTruncatedWeights() throws IOException {
        Path saved = dir.resolve("rm");
        model.save(saved);
        Path weights = saved.resolve("weights.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> LlamaRewardModel.load(saved, RewardHeadSpec.scalar()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(weights.toString())
                .hasMessageContaining("corrupt or truncated");
    }

    @Test
    void loadRejectsOtherHead() throws IOException {
        Path saved = dir.resolve("rm");
        model.save(saved);
        RewardHeadSpec expected = new RewardHeadSpec(List.of("helpfulness", "correctness"), 0);

        assertThatThrownBy(() -> LlamaRewardModel.load(saved, expected))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RewardHeadSpec.scalar().toString())
                .hasMessageContaining(expected.toString());
    }

    @Test
    void loadRejectsMissingModelFile() {
        assertThatThrownBy(() -> LlamaRewardModel.load(dir, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no model.json in " + dir);
    }

    @Test
    void multiAttributeHeadScoresEveryOutput() throws IOException {
        RewardHeadSpec head = new RewardHeadSpec(List.of("helpfulness", "correctness", "verbosity"), 1);
        try (LlamaRewardModel multi = LlamaRewardModel.fromGguf(TestModels.stories260K(), head, 3L);
                NDManager step = multi.manager().newSubManager()) {
            int[] ids = encode(multi, TEXTS.get(2));
            NDArray input = step.create(ids, new Shape(1, ids.length));
            NDArray mask = step.ones(new Shape(1, ids.length));

            NDArray outputs = multi.forward(input, mask);
            NDArray reward = multi.reward(input, mask);

            assertThat(outputs.getShape()).isEqualTo(new Shape(1, 3));
            assertThat(reward.getShape()).isEqualTo(new Shape(1));
            assertThat(reward.getFloat(0)).isEqualTo(outputs.getFloat(0, 1));
        }
    }
}
