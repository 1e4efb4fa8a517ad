package org.rlhf4j.algorithms.reward;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Splits encoded pairs into batches of similar length, in a new seeded order each epoch.
 *
 * <p>For epoch {@code e} the batcher shuffles all pairs with a random generator seeded from
 * {@code seed} and {@code e}, cuts them into buckets of {@code bucketBatches * batchPairs} pairs,
 * sorts each bucket by the length of its longer sequence, cuts the buckets into batches of
 * {@code batchPairs} pairs (the last batch may be smaller) and finally shuffles the batches. Pairs
 * of similar length then share a batch, which saves padding, while the batch order stays random.
 * The same seed and epoch always give the same batches.
 */
public final class PairBatcher {

    private static final long EPOCH_MIX = 0x9E3779B97F4A7C15L;

    private final List<EncodedPair> pairs;
    private final int batchPairs;
    private final int bucketBatches;
    private final long seed;

    /**
     * Creates a batcher.
     *
     * @param pairs the pairs of one epoch, at least one
     * @param batchPairs number of pairs per batch, at least 1
     * @param bucketBatches number of batches per length bucket, at least 1; 1 sorts nothing
     *     across batches
     * @param seed seed of the shuffles
     * @throws IllegalArgumentException when a count is out of range
     */
    public PairBatcher(List<EncodedPair> pairs, int batchPairs, int bucketBatches, long seed) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("PairBatcher needs at least one pair");
        }
        if (batchPairs < 1) {
            throw new IllegalArgumentException("batchPairs must be >= 1, got " + batchPairs);
        }
        if (bucketBatches < 1) {
            throw new IllegalArgumentException("bucketBatches must be >= 1, got " + bucketBatches);
        }
        this.pairs = List.copyOf(pairs);
        this.batchPairs = batchPairs;
        this.bucketBatches = bucketBatches;
        this.seed = seed;
    }

    /** Returns the number of batches in every epoch. */
    public int batchesPerEpoch() {
        return batchesPerEpoch(pairs.size(), batchPairs);
    }

    /**
     * Computes the number of batches per epoch: every length bucket but the last contains a
     * whole number of batches, so this is {@code ceil(pairCount / batchPairs)}.
     *
     * @param pairCount the number of pairs
     * @param batchPairs the number of pairs per batch, at least 1
     * @return the number of batches
     */
    public static int batchesPerEpoch(int pairCount, int batchPairs) {
        return (pairCount + batchPairs - 1) / batchPairs;
    }

    /**
     * Returns the batches of one epoch.
     *
     * @param epoch the 0-based epoch number
     * @return the batches in training order
     */
    public List<List<EncodedPair>> batches(int epoch) {
        Random random = new Random(seed ^ (epoch * EPOCH_MIX));
        List<EncodedPair> shuffled = new ArrayList<>(pairs);
        Collections.shuffle(shuffled, random);
        int bucketSize = bucketBatches * batchPairs;
        List<List<EncodedPair>> batches = new ArrayList<>();
        for (int start = 0; start < shuffled.size(); start += bucketSize) {
            int end = Math.min(start + bucketSize, shuffled.size());
            List<EncodedPair> bucket = new ArrayList<>(shuffled.subList(start, end));
            bucket.sort(Comparator.comparingInt(EncodedPair::maxLength));
            for (int from = 0; from < bucket.size(); from += batchPairs) {
                batches.add(List.copyOf(bucket.subList(from, Math.min(from + batchPairs, bucket.size()))));
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }
}
