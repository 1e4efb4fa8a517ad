package org.rlhf4j.algorithms.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PairBatcherTest {

    private static EncodedPair pair(String id, int[] chosen, int[] rejected) {
        return new EncodedPair(id, chosen, rejected, 1.0, null);
    }

    /** Pair {@code i} has a chosen side of {@code i + 2} tokens and a rejected side of 2 tokens. */
    private static List<EncodedPair> pairsOfGrowingLength(int count) {
        List<EncodedPair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(pair("p" + i, IntStream.range(0, i + 2).map(k -> 7).toArray(), new int[] {1, 2}));
        }
        return pairs;
    }

    private static List<EncodedPair> twoPairs() {
        return List.of(
                pair("a", new int[] {1, 5, 2}, new int[] {1, 2}),
                pair("b", new int[] {1, 2}, new int[] {1, 6, 6, 2}));
    }

    @Test
    void rightPaddingPutsPadAfterTokens() {
        PaddedBatch batch = PaddedBatch.of(twoPairs(), PaddingSide.RIGHT, 0);

        assertThat(batch.length()).isEqualTo(4);
        assertThat(batch.ids()).containsExactly(
                1, 5, 2, 0,
                1, 2, 0, 0,
                1, 2, 0, 0,
                1, 6, 6, 2);
        assertThat(batch.mask()).containsExactly(
                1, 1, 1, 0,
                1, 1, 0, 0,
                1, 1, 0, 0,
                1, 1, 1, 1);
    }

    @Test
    void leftPaddingPutsPadBeforeTokens() {
        PaddedBatch batch = PaddedBatch.of(twoPairs(), PaddingSide.LEFT, 9);

        assertThat(batch.ids()).containsExactly(
                9, 1, 5, 2,
                9, 9, 1, 2,
                9, 9, 1, 2,
                1, 6, 6, 2);
        assertThat(batch.mask()).containsExactly(
                0, 1, 1, 1,
                0, 0, 1, 1,
                0, 0, 1, 1,
                1, 1, 1, 1);
    }

    @Test
    void chosenRowsPrecedeRejectedRows() {
        PaddedBatch batch = PaddedBatch.of(
                List.of(pair("a", new int[] {1, 11, 2}, new int[] {1, 21, 2}), pair("b", new int[] {1, 12, 2},
                        new int[] {1, 22, 2})),
                PaddingSide.RIGHT, 0);

        assertThat(batch.rows()).isEqualTo(4);
        assertThat(new long[] {batch.ids()[1], batch.ids()[4], batch.ids()[7], batch.ids()[10]})
                .containsExactly(11, 12, 21, 22);
        assertThat(batch.pairIds()).containsExactly("a", "b");
    }

    @Test
    void arraysHaveBatchShapeAndTypes() {
        PaddedBatch batch = PaddedBatch.of(List.of(pair("a", new int[] {1, 5, 2}, new int[] {1, 2})),
                PaddingSide.RIGHT, 0);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray ids = batch.idsArray(manager);
            NDArray mask = batch.maskArray(manager);
            NDArray magnitudes = batch.magnitudeArray(manager);

            assertThat(ids.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(ids.getDataType()).isEqualTo(DataType.INT64);
            assertThat(mask.getDataType()).isEqualTo(DataType.INT64);
            assertThat(magnitudes.getShape()).isEqualTo(new Shape(1));
            assertThat(magnitudes.getDataType()).isEqualTo(DataType.FLOAT32);
        }
    }

    @Test
    void everyPairAppearsOncePerEpoch() {
        List<EncodedPair> pairs = pairsOfGrowingLength(10);
        PairBatcher batcher = new PairBatcher(pairs, 3, 2, 7);

        List<List<EncodedPair>> batches = batcher.batches(0);

        assertThat(batches.stream().flatMap(List::stream).map(EncodedPair::id))
                .containsExactlyInAnyOrderElementsOf(pairs.stream().map(EncodedPair::id).toList());
        assertThat(batches).hasSize(batcher.batchesPerEpoch());
        assertThat(batcher.batchesPerEpoch()).isEqualTo(4);
    }

    @Test
    void sameSeedAndEpochGiveSameBatches() {
        List<EncodedPair> pairs = pairsOfGrowingLength(20);

        assertThat(new PairBatcher(pairs, 4, 2, 11).batches(3)).isEqualTo(new PairBatcher(pairs, 4, 2, 11).batches(3));
    }

    @Test
    void epochsGetDifferentOrders() {
        PairBatcher batcher = new PairBatcher(pairsOfGrowingLength(20), 4, 2, 11);

        assertThat(batcher.batches(0)).isNotEqualTo(batcher.batches(1));
    }

    @Test
    void batchesAreSortedWithinOneBucket() {
        // One bucket contains all 12 pairs, so the batches split the sorted lengths into ranges.
        PairBatcher batcher = new PairBatcher(pairsOfGrowingLength(12), 4, 3, 5);

        List<List<Integer>> lengths = batcher.batches(0).stream()
                .map(batch -> batch.stream().map(EncodedPair::maxLength).toList())
                .sorted((a, b) -> Integer.compare(a.get(0), b.get(0)))
                .toList();

        assertThat(lengths).containsExactly(List.of(2, 3, 4, 5), List.of(6, 7, 8, 9), List.of(10, 11, 12, 13));
    }

    @Test
    void invalidBatchSizeIsRejected() {
        assertThatThrownBy(() -> new PairBatcher(pairsOfGrowingLength(2), 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchPairs");
    }
}
