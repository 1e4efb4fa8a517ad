package org.rlhf4j.algorithms.regression;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Splits items into batches of similar length, in a new seeded order each epoch. This is the
 * order of {@link org.rlhf4j.algorithms.reward.PairBatcher} for any item type: with the same seed,
 * batch size and bucket size, and pairs measured by their longer side, both give the same batches.
 *
 * <p>For epoch {@code e} the batcher shuffles all items with a random generator seeded from
 * {@code seed} and {@code e}, cuts them into buckets of {@code bucketBatches * batchSize} items,
 * sorts each bucket by length (a stable sort), cuts the buckets into batches of {@code batchSize}
 * items (the last batch may be smaller) and finally shuffles the batches. Items of similar length
 * then share a batch, which saves padding, while the batch order stays random.
 *
 * @param <T> the item type
 */
public final class LengthBucketBatcher<T> {

    private static final long EPOCH_MIX = 0x9E3779B97F4A7C15L;

    private final List<T> items;
    private final ToIntFunction<T> length;
    private final int batchSize;
    private final int bucketBatches;
    private final long seed;

    /**
     * Creates a batcher.
     *
     * @param items the items of one epoch, at least one
     * @param length the number of tokens of an item
     * @param batchSize number of items per batch, at least 1
     * @param bucketBatches number of batches per length bucket, at least 1; 1 sorts nothing
     *     across batches
     * @param seed seed of the shuffles
     * @throws IllegalArgumentException when a count is out of range
     */
    public LengthBucketBatcher(List<T> items, ToIntFunction<T> length, int batchSize, int bucketBatches, long seed) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("LengthBucketBatcher needs at least one item");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (bucketBatches < 1) {
            throw new IllegalArgumentException("bucketBatches must be >= 1, got " + bucketBatches);
        }
        this.items = List.copyOf(items);
        this.length = Objects.requireNonNull(length, "length");
        this.batchSize = batchSize;
        this.bucketBatches = bucketBatches;
        this.seed = seed;
    }

    /** Returns the number of batches in every epoch, {@code ceil(items / batchSize)}. */
    public int batchesPerEpoch() {
        return batchesPerEpoch(items.size(), batchSize);
    }

    /**
     * Computes the number of batches per epoch: every length bucket but the last contains a whole
     * number of batches, so this is {@code ceil(itemCount / batchSize)}.
     *
     * @param itemCount the number of items
     * @param batchSize the number of items per batch, at least 1
     * @return the number of batches
     */
    public static int batchesPerEpoch(int itemCount, int batchSize) {
        return (itemCount + batchSize - 1) / batchSize;
    }

    /**
     * Returns the batches of one epoch.
     *
     * @param epoch the 0-based epoch number
     * @return the batches in training order
     */
    public List<List<T>> batches(int epoch) {
        Random random = new Random(seed ^ (epoch * EPOCH_MIX));
        List<T> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, random);
        int bucketSize = bucketBatches * batchSize;
        List<List<T>> batches = new ArrayList<>();
        for (int start = 0; start < shuffled.size(); start += bucketSize) {
            int end = Math.min(start + bucketSize, shuffled.size());
            List<T> bucket = new ArrayList<>(shuffled.subList(start, end));
            bucket.sort(Comparator.comparingInt(length));
            for (int from = 0; from < bucket.size(); from += batchSize) {
                batches.add(List.copyOf(bucket.subList(from, Math.min(from + batchSize, bucket.size()))));
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }
}
