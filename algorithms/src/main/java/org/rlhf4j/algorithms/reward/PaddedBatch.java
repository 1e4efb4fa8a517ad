package org.rlhf4j.algorithms.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A padded batch of pairs: rows {@code 0..pairs-1} hold the chosen sequences and rows
 * {@code pairs..2*pairs-1} the rejected sequences of the same pairs, in the same order.
 *
 * <p>The arrays are flat, row-major, shape {@code [2 * pairs, length]}. The accessors return the
 * record's own arrays, which callers must not change.
 *
 * @param pairs number of pairs
 * @param length number of columns, the longest sequence of the batch
 * @param ids token ids, the pad id at padded positions
 * @param mask 1 at real tokens and 0 at padding
 * @param magnitudes preference magnitude of each pair, length {@code pairs}
 * @param pairIds identifier of each pair, in row order
 */
public record PaddedBatch(int pairs, int length, long[] ids, long[] mask, float[] magnitudes, List<String> pairIds) {

    public PaddedBatch {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(magnitudes, "magnitudes");
        pairIds = List.copyOf(pairIds);
        if (pairs < 1 || length < 1) {
            throw new IllegalArgumentException("A batch needs at least one pair and one column, got " + pairs
                    + " pairs of length " + length);
        }
        long cells = 2L * pairs * length;
        if (ids.length != cells || mask.length != cells || magnitudes.length != pairs || pairIds.size() != pairs) {
            throw new IllegalArgumentException("Array sizes do not match " + pairs + " pairs of length " + length);
        }
    }

    /**
     * Pads pairs into one batch.
     *
     * @param pairs the pairs, at least one
     * @param side where the padding goes
     * @param padId the token id written at padded positions
     * @return the batch
     */
    public static PaddedBatch of(List<EncodedPair> pairs, PaddingSide side, int padId) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("Cannot pad an empty list of pairs");
        }
        int count = pairs.size();
        int length = pairs.stream().mapToInt(EncodedPair::maxLength).max().orElseThrow();
        long[] ids = new long[2 * count * length];
        long[] mask = new long[ids.length];
        float[] magnitudes = new float[count];
        String[] names = new String[count];
        Arrays.fill(ids, padId);
        for (int i = 0; i < count; i++) {
            EncodedPair pair = pairs.get(i);
            fillRow(pair.chosen(), i, length, side, ids, mask);
            fillRow(pair.rejected(), count + i, length, side, ids, mask);
            magnitudes[i] = (float) pair.magnitude();
            names[i] = pair.id();
        }
        return new PaddedBatch(count, length, ids, mask, magnitudes, List.of(names));
    }

    private static void fillRow(int[] tokens, int row, int length, PaddingSide side, long[] ids, long[] mask) {
        int start = row * length + (side == PaddingSide.LEFT ? length - tokens.length : 0);
        for (int j = 0; j < tokens.length; j++) {
            ids[start + j] = tokens[j];
            mask[start + j] = 1;
        }
    }

    /** Returns the number of rows, twice the number of pairs. */
    public int rows() {
        return 2 * pairs;
    }

    /** Creates the int64 token-id array, shape {@code [2 * pairs, length]}, in {@code manager}. */
    public NDArray idsArray(NDManager manager) {
        return manager.create(ids, new Shape(rows(), length));
    }

    /** Creates the int64 mask array, shape {@code [2 * pairs, length]}, in {@code manager}. */
    public NDArray maskArray(NDManager manager) {
        return manager.create(mask, new Shape(rows(), length));
    }

    /** Creates the float32 magnitude array, shape {@code [pairs]}, in {@code manager}. */
    public NDArray magnitudeArray(NDManager manager) {
        return manager.create(magnitudes, new Shape(pairs));
    }
}
