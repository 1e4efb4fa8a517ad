package org.rlhf4j.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.ReferenceFixture;
import org.rlhf4j.models.TestModels;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;
import org.rlhf4j.models.gguf.GgufFile;

class LlamaModelTest {

    private static final int VOCAB = 512;

    private static LlamaModel model;
    private static SentencePieceTokenizer tokenizer;
    private static ReferenceFixture fixture;

    @BeforeAll
    static void load() throws IOException {
        GgufFile gguf = GgufFile.open(TestModels.stories260K());
        model = LlamaModel.fromGguf(gguf, null);
        tokenizer = SentencePieceTokenizer.fromGguf(gguf);
        fixture = ReferenceFixture.load();
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    /** Returns logits [T, V] of one unpadded sequence. */
    private static float[][] logitsOf(LlamaModel target, int[] ids) {
        try (NDManager scope = target.manager().newSubManager()) {
            NDArray input = scope.create(ids, new Shape(1, ids.length));
            NDArray logits = target.logits(input, null);
            return rows(logits.reshape(ids.length, VOCAB).toFloatArray(), VOCAB);
        }
    }

    private static float[][] rows(float[] flat, int width) {
        float[][] rows = new float[flat.length / width][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }

    private static double maxDifferenceFromFixture(float[][] logits) {
        double[][] expected = fixture.logits();
        int first = logits.length - expected.length;
        double max = 0;
        for (int row = 0; row < expected.length; row++) {
            for (int v = 0; v < VOCAB; v++) {
                max = Math.max(max, Math.abs(logits[first + row][v] - expected[row][v]));
            }
        }
        return max;
    }

    @Test
    void tiesDuplicatedOutputWeight() {
        assertThat(model.config().tiedEmbeddings()).isTrue();
        assertThat(model.parameters()).hasSize(1 + 9 * 5 + 1);
        assertThat(model.parameters()).doesNotContainKey(LlamaModel.OUTPUT);
        assertThat(model.parameters().keySet()).startsWith("token_embd.weight", "blk.0.attn_norm.weight");
        assertThat(model.parameters().get("blk.4.ffn_gate.weight").getShape()).isEqualTo(new Shape(172, 64));
    }

    @Test
    void logitsMatchNumpyReference() {
        int[] ids = fixture.promptIds();
        assertThat(tokenizer.encodeWithSpecials(fixture.prompt(), true, false)).containsExactly(ids);

        double difference = maxDifferenceFromFixture(logitsOf(model, ids));

        assertThat(difference).isLessThan(1e-4);
    }

    @Test
    void greedyStoryMatchesNumpyReference() {
        int[] prompt = fixture.storyPromptIds();
        assertThat(tokenizer.encodeWithSpecials(fixture.storyPrompt(), true, false)).containsExactly(prompt);

        int[] generated = model.generateGreedy(prompt, 40);

        assertThat(generated).containsExactly(fixture.storyNewIds());
        int[] story = new int[prompt.length + generated.length];
        System.arraycopy(prompt, 0, story, 0, prompt.length);
        System.arraycopy(generated, 0, story, prompt.length, generated.length);
        String text = tokenizer.decode(story);
        assertThat(text).isEqualTo(fixture.storyText());
        assertThat(text).startsWith("Once upon a time");
        assertThat(text).contains(" was ", " a ", " the ", " she ", "Lily", ".");
        assertThat(text).doesNotContain("<0x", "\uFFFD");
    }

    @Test
    void swappedWeightRowsChangeLogits() throws IOException {
        int[] ids = fixture.promptIds();
        try (LlamaModel permuted = LlamaModel.fromGguf(TestModels.stories260K())) {
            NDArray query = permuted.parameters().get("blk.0.attn_q.weight");
            float[] values = query.toFloatArray();
            int width = 64;
            float[] row3 = java.util.Arrays.copyOfRange(values, 3 * width, 4 * width);
            System.arraycopy(values, 5 * width, values, 3 * width, width);
            System.arraycopy(row3, 0, values, 5 * width, width);
            query.set(values);

            double difference = maxDifferenceFromFixture(logitsOf(permuted, ids));

            assertThat(difference).isGreaterThan(1e-3);
        }
    }

    @Test
    void paddingSideKeepsTokenLogits() {
        int[] longer = tokenizer.encodeWithSpecials("The cat sat on the mat.", true, false);
        int[] shorter = tokenizer.encodeWithSpecials("Tim ran.", true, false);
        int length = longer.length;
        int pad = length - shorter.length;
        float[][] expectedShort = logitsOf(model, shorter);
        float[][] expectedLong = logitsOf(model, longer);

        for (boolean left : List.of(true, false)) {
            long[] ids = new long[2 * length];
            long[] mask = new long[2 * length];
            for (int t = 0; t < length; t++) {
                ids[t] = longer[t];
                mask[t] = 1;
            }
            for (int t = 0; t < shorter.length; t++) {
                int at = length + (left ? pad + t : t);
                ids[at] = shorter[t];
                mask[at] = 1;
            }
            float[][] logits;
            try (NDManager scope = model.manager().newSubManager()) {
                NDArray input = scope.create(ids, new Shape(2, length));
                NDArray out = model.logits(input, scope.create(mask, new Shape(2, length)));
                logits = rows(out.reshape(2L * length, VOCAB).toFloatArray(), VOCAB);
            }
            for (int t = 0; t < length; t++) {
                assertThat(logits[t]).as("longer row, position %d", t)
                        .containsExactly(expectedLong[t], org.assertj.core.data.Offset.offset(1e-5f));
            }
            for (int t = 0; t < shorter.length; t++) {
                int row = length + (left ? pad + t : t);
                assertThat(logits[row]).as("shorter row, %s padding, position %d", left ? "left" : "right", t)
                        .containsExactly(expectedShort[t], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void trainingStepLeavesNoModelArrays() throws IOException {
        try (LlamaModel trained = LlamaModel.fromGguf(TestModels.stories260K())) {
            trained.setRequiresGradient(true);
            int before = trained.manager().getManagedArrays().size();
            long[] ids = {1, 403, 407, 261, 378, 0, 0};
            long[] mask = {1, 1, 1, 1, 1, 0, 0};

            for (int repetition = 0; repetition < 10; repetition++) {
                try (NDManager step = trained.manager().newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray input = step.create(ids, new Shape(1, ids.length));
                    NDArray logits = trained.logits(input, step.create(mask, new Shape(1, ids.length)));
                    collector.backward(logits.square().mean());
                }
                assertThat(trained.manager().getManagedArrays().size()).as("arrays after repetition %d", repetition)
                        .isEqualTo(before);
            }
            try (NDManager scope = trained.manager().newSubManager()) {
                // getGradient() attaches to the parameter's manager; move it so its temporaries go too.
                NDArray gradient = trained.parameters().get("blk.0.attn_q.weight").getGradient();
                gradient.attach(scope);
                assertThat(gradient.abs().sum().getFloat()).isGreaterThan(0f);
            }
            assertThat(trained.manager().getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void generationLeavesNoModelArrays() {
        int before = model.manager().getManagedArrays().size();

        model.generateGreedy(new int[] {1, 403}, 3);

        assertThat(model.manager().getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void generationStopsAtEos() {
        int[] prompt = fixture.storyPromptIds();
        int[] generated = model.generateGreedy(prompt, 40);
        int stopAt = generated[4];

        int[] stopped = model.generateGreedy(prompt, 40, stopAt);

        assertThat(stopped).containsExactly(java.util.Arrays.copyOf(generated, 5));
    }

    @Test
    void rejectsIdsOutsideVocabulary() {
        assertThatThrownBy(() -> model.generateGreedy(new int[] {1, 512}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt id 512");
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(new long[] {1, -1}, new Shape(1, 2));
            assertThatThrownBy(() -> model.logits(ids, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ids range from -1 to 1");
        }
    }

    @Test
    void rejectsMaskOfOtherShape() {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(new long[] {1, 2, 3}, new Shape(1, 3));
            NDArray mask = scope.ones(new Shape(1, 2), DataType.INT64);
            assertThatThrownBy(() -> model.hiddenStates(ids, mask))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mask shape (1, 2)");
        }
    }
}
