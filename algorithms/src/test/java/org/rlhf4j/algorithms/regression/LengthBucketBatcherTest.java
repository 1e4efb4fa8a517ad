package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PairBatcher;
import org.rlhf4j.algorithms.toy.ToyData;

class LengthBucketBatcherTest {

    @Test
    void ordersLikePairBatcher() {
        List<EncodedPair> pairs = ToyData.encoded(37, 5);
        PairBatcher reference = new PairBatcher(pairs, 4, 3, 11);
        LengthBucketBatcher<EncodedPair> batcher = new LengthBucketBatcher<>(pairs, EncodedPair::maxLength, 4, 3, 11);

        for (int epoch = 0; epoch < 3; epoch++) {
            assertThat(batcher.batches(epoch)).as("epoch %d", epoch).isEqualTo(reference.batches(epoch));
        }
    }

    @Test
    void everyItemOncePerEpoch() {
        List<Integer> items = List.of(5, 1, 4, 2, 3, 9, 7);
        LengthBucketBatcher<Integer> batcher = new LengthBucketBatcher<>(items, Integer::intValue, 3, 1, 2);

        List<List<Integer>> batches = batcher.batches(0);

        assertThat(batches).hasSize(3);
        assertThat(batcher.batchesPerEpoch()).isEqualTo(3);
        assertThat(batches.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(items);
    }

    @Test
    void bucketsSortByLength() {
        List<Integer> items = List.of(5, 1, 4, 2, 3, 9, 7, 8);
        LengthBucketBatcher<Integer> batcher = new LengthBucketBatcher<>(items, Integer::intValue, 2, 4, 3);

        for (List<Integer> batch : batcher.batches(0)) {
            assertThat(batch).isSorted();
        }
    }

    @Test
    void invalidSizesAreRejected() {
        assertThatThrownBy(() -> new LengthBucketBatcher<>(List.of(1), Integer::intValue, 0, 1, 1))
                .hasMessageContaining("batchSize must be >= 1, got 0");
        assertThatThrownBy(() -> new LengthBucketBatcher<>(List.<Integer>of(), Integer::intValue, 1, 1, 1))
                .hasMessageContaining("at least one item");
    }
}
