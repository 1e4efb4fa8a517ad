package org.rlhf4j.models.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.TestModels;
import org.rlhf4j.models.llama.LlamaModel;

class LogProbsTest {

    private static final int VOCAB = 512;
    private static final List<int[]> PROMPTS = List.of(new int[] {1, 403, 407, 261}, new int[] {1, 417},
            new int[] {1, 298, 370, 33, 290, 378});
    private static final List<int[]> RESPONSES = List.of(new int[] {378, 290, 33}, new int[] {298, 370, 261, 403,
            407}, new int[] {417});

    private static LlamaModel model;

    @BeforeAll
    static void load() throws IOException {
        model = LlamaModel.fromGguf(TestModels.stories260K());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    /** Computes log softmax(logits at column t - 1)[ids[t]] by hand from an unpadded forward pass. */
    private static double[] handShifted(int[] ids, int from) {
        float[] logits;
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray input = scope.create(ids, new Shape(1, ids.length));
            logits = model.logits(input, null).toFloatArray();
        }
        double[] result = new double[ids.length - from];
        for (int t = from; t < ids.length; t++) {
            int row = (t - 1) * VOCAB;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < VOCAB; v++) {
                max = Math.max(max, logits[row + v]);
            }
            double sum = 0;
            for (int v = 0; v < VOCAB; v++) {
                sum += Math.exp(logits[row + v] - max);
            }
            result[t - from] = logits[row + ids[t]] - max - Math.log(sum);
        }
        return result;
    }

    private static int[] concat(int[] first, int[] second) {
        int[] joined = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    @Test
    void responseLogProbComesFromPreviousPosition() {
        float[][] actual = LogProbs.responseLogProbs(model, PROMPTS, RESPONSES);

        for (int i = 0; i < PROMPTS.size(); i++) {
            double[] expected = handShifted(concat(PROMPTS.get(i), RESPONSES.get(i)), PROMPTS.get(i).length);
            assertThat(actual[i]).as("row %d", i).hasSize(RESPONSES.get(i).length);
            for (int t = 0; t < expected.length; t++) {
                assertThat((double) actual[i][t]).as("row %d token %d", i, t).isCloseTo(expected[t], within(1e-5));
            }
        }
    }

    @Test
    void tokenLogProbsShiftLabelsByOne() {
        int[] ids = concat(PROMPTS.get(0), RESPONSES.get(0));
        double[] expected = handShifted(ids, 1);
        float[] actual;
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray input = scope.create(ids, new Shape(1, ids.length));
            actual = LogProbs.tokenLogProbs(model, input, null).toFloatArray();
        }

        assertThat(actual).hasSize(ids.length - 1);
        for (int t = 0; t < expected.length; t++) {
            assertThat((double) actual[t]).as("token %d", t + 1).isCloseTo(expected[t], within(1e-5));
        }
    }

    @Test
    void paddingNeverChangesLogProbs() {
        float[][] batched = LogProbs.responseLogProbs(model, PROMPTS, RESPONSES);

        for (int i = 0; i < PROMPTS.size(); i++) {
            float[][] alone = LogProbs.responseLogProbs(model, List.of(PROMPTS.get(i)), List.of(RESPONSES.get(i)));
            assertThat(batched[i]).as("row %d", i).containsExactly(alone[0], within(1e-5f));
        }
    }

    @Test
    void paddedResponseSlotsAreZero() {
        ResponseBatch batch = ResponseBatch.of(PROMPTS, RESPONSES, 0);
        float[] flat;
        try (NDManager scope = model.manager().newSubManager()) {
            flat = LogProbs.responseLogProbs(model, batch, scope).toFloatArray();
        }

        assertThat(batch.responseColumns()).isEqualTo(5);
        assertThat(flat[3]).isZero();
        assertThat(flat[4]).isZero();
        assertThat(flat[2 * 5 + 1]).isZero();
        assertThat(flat[0]).isNegative();
    }

    @Test
    void layoutPadsPromptsLeftAndResponsesRight() {
        ResponseBatch batch = ResponseBatch.of(List.of(new int[] {1, 5}, new int[] {1}),
                List.of(new int[] {7}, new int[] {8, 9}), 0);

        assertThat(batch.ids()).containsExactly(1, 5, 7, 0, 0, 1, 8, 9);
        assertThat(batch.mask()).containsExactly(1, 1, 1, 0, 0, 1, 1, 1);
        assertThat(batch.responseMask()).containsExactly(1, 0, 1, 1);
    }

    @Test
    void alignToResponseSelectsPredictingColumns() {
        ResponseBatch batch = ResponseBatch.of(List.of(new int[] {1, 5}, new int[] {1}),
                List.of(new int[] {7}, new int[] {8, 9}), 0);
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray columns = scope.arange(4f).reshape(1, 4).repeat(0, 2);

            float[] aligned = batch.alignToResponse(columns).toFloatArray();

            assertThat(aligned).containsExactly(1f, 2f, 1f, 2f);
        }
    }

    @Test
    void rejectsAllEmptyResponses() {
        assertThatThrownBy(() -> ResponseBatch.of(List.of(new int[] {1}), List.of(new int[0]), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every response is empty");
        assertThatThrownBy(() -> ResponseBatch.of(List.of(new int[0]), List.of(new int[] {3}), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt 0 is empty");
    }
}
