package org.rlhf4j.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.TestModels;

class KvCacheTest {

    private static final int VOCAB = 512;
    /** Two rows: a 7-token sequence and a 4-token one padded on the left. */
    private static final long[] IDS = {1, 403, 407, 261, 378, 290, 33, 0, 0, 0, 1, 417, 298, 370};
    private static final long[] MASK = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1};
    private static final int LENGTH = 7;

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

    private static float[] fullLogits() {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(IDS, new Shape(2, LENGTH));
            return model.logits(ids, scope.create(MASK, new Shape(2, LENGTH))).toFloatArray();
        }
    }

    /** Runs columns [from, to) of the batch through the cached forward pass and returns their logits. */
    private static float[] chunkLogits(KvCache cache, int from, int to) {
        try (NDManager scope = model.manager().newSubManager()) {
            int width = to - from;
            long[] ids = new long[2 * width];
            long[] mask = new long[2 * width];
            for (int row = 0; row < 2; row++) {
                System.arraycopy(IDS, row * LENGTH + from, ids, row * width, width);
                System.arraycopy(MASK, row * LENGTH + from, mask, row * width, width);
            }
            NDArray logits = model.logits(scope.create(ids, new Shape(2, width)),
                    scope.create(mask, new Shape(2, width)), cache);
            return logits.toFloatArray();
        }
    }

    @Test
    void chunkedCachedLogitsMatchFullPass() {
        float[] expected = fullLogits();
        try (KvCache cache = model.newKvCache()) {
            int[] bounds = {0, 3, 6, 7};
            for (int chunk = 0; chunk < bounds.length - 1; chunk++) {
                int from = bounds[chunk];
                int to = bounds[chunk + 1];
                float[] actual = chunkLogits(cache, from, to);
                for (int row = 0; row < 2; row++) {
                    for (int column = from; column < to; column++) {
                        if (MASK[row * LENGTH + column] == 0) {
                            continue;
                        }
                        int expectedAt = (row * LENGTH + column) * VOCAB;
                        int actualAt = (row * (to - from) + column - from) * VOCAB;
                        float[] want = Arrays.copyOfRange(expected, expectedAt, expectedAt + VOCAB);
                        float[] got = Arrays.copyOfRange(actual, actualAt, actualAt + VOCAB);
                        assertThat(got).as("row %d column %d", row, column).containsExactly(want, within(1e-4f));
                    }
                }
                assertThat(cache.length()).isEqualTo(to);
            }
        }
    }

    @Test
    void closedCacheReleasesArrays() {
        int before = model.manager().getManagedArrays().size();
        KvCache cache = model.newKvCache();
        chunkLogits(cache, 0, 4);
        assertThat(model.manager().getManagedArrays().size()).isGreaterThan(before);

        cache.close();

        assertThat(model.manager().getManagedArrays().size()).isEqualTo(before);
        assertThat(cache.isClosed()).isTrue();
    }

    @Test
    void stepsKeepCacheArrayCount() {
        try (KvCache cache = model.newKvCache()) {
            chunkLogits(cache, 0, 3);
            int afterFirst = model.manager().getManagedArrays().size();
            chunkLogits(cache, 3, 5);
            chunkLogits(cache, 5, 7);

            assertThat(model.manager().getManagedArrays().size()).isEqualTo(afterFirst);
        }
    }

    @Test
    void rejectsOtherBatchSize() {
        try (KvCache cache = model.newKvCache(); NDManager scope = model.manager().newSubManager()) {
            chunkLogits(cache, 0, 2);
            NDArray ids = scope.create(new long[] {1, 2, 3}, new Shape(3, 1));
            assertThatThrownBy(() -> model.logits(ids, null, cache))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("contains 2 sequences but the ids have 3 rows");
        }
    }

    @Test
    void rejectsClosedCache() {
        KvCache cache = model.newKvCache();
        cache.close();
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(new long[] {1, 2}, new Shape(1, 2));
            assertThatThrownBy(() -> model.logits(ids, null, cache))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void copyDoesNotShareStorage() throws IOException {
        try (LlamaModel original = LlamaModel.fromGguf(TestModels.stories260K());
                LlamaModel copy = original.copy(null)) {
            NDArray norm = original.parameters().get(LlamaModel.OUTPUT_NORM);
            float before = copy.parameters().get(LlamaModel.OUTPUT_NORM).toFloatArray()[0];

            norm.subi(1f);

            assertThat(copy.parameters().get(LlamaModel.OUTPUT_NORM).toFloatArray()[0]).isEqualTo(before);
            assertThat(norm.toFloatArray()[0]).isEqualTo(before - 1f);
            assertThat(copy.parameters().keySet()).containsExactlyElementsOf(original.parameters().keySet());
            assertThat(copy.manager()).isNotSameAs(original.manager());
        }
    }

    @Test
    void copyOfTrainedModelIsFrozen() throws IOException {
        try (LlamaModel original = LlamaModel.fromGguf(TestModels.stories260K())) {
            original.setRequiresGradient(true);
            int before = original.manager().getManagedArrays().size();
            try (LlamaModel copy = original.copy(null)) {
                assertThat(copy.parameters().get(LlamaModel.TOKEN_EMBEDDING).hasGradient()).isFalse();
                assertThat(original.parameters().get(LlamaModel.TOKEN_EMBEDDING).hasGradient()).isTrue();
            }
            assertThat(original.manager().getManagedArrays()).hasSize(before);
        }
    }
}
