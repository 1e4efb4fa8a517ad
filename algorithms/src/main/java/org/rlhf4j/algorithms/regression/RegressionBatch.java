package org.rlhf4j.algorithms.regression;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.algorithms.reward.PaddingSide;

/**
 * A padded batch of encoded rated responses, one row per example.
 *
 * <p>The arrays are flat and row-major: ids and mask have shape {@code [rows, length]}, labels and
 * label mask {@code [rows, slots]}. The accessors return the record's own arrays, which callers
 * must not change.
 *
 * @param rows number of examples
 * @param length number of token columns, the longest sequence of the batch
 * @param slots number of head slots
 * @param ids token ids, the pad id at padded positions
 * @param mask 1 at real tokens and 0 at padding
 * @param labels target of each slot
 * @param labelMask 1 where a slot is labelled and 0 elsewhere
 * @param exampleIds identifier of each example, in row order
 */
public record RegressionBatch(int rows, int length, int slots, long[] ids, long[] mask, float[] labels,
        float[] labelMask, List<String> exampleIds) {

    public RegressionBatch {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(labelMask, "labelMask");
        exampleIds = List.copyOf(exampleIds);
        if (rows < 1 || length < 1 || slots < 1) {
            throw new IllegalArgumentException("A batch needs at least one row, column and slot, got " + rows
                    + " rows of length " + length + " with " + slots + " slots");
        }
        long cells = (long) rows * length;
        long labelCells = (long) rows * slots;
        if (ids.length != cells || mask.length != cells || labels.length != labelCells
                || labelMask.length != labelCells || exampleIds.size() != rows) {
            throw new IllegalArgumentException("Array sizes do not match " + rows + " rows of length " + length
                    + " with " + slots + " slots");
        }
    }

    /**
     * Pads examples into one batch.
     *
     * @param examples the examples, at least one, all with the same number of slots
     * @param side where the padding goes
     * @param padId the token id written at padded positions
     * @return the batch
     * @throws IllegalArgumentException when the list is empty or the slot counts differ
     */
    public static RegressionBatch of(List<EncodedRated> examples, PaddingSide side, int padId) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("Cannot pad an empty list of examples");
        }
        int rows = examples.size();
        int slots = examples.get(0).slots();
        int length = examples.stream().mapToInt(EncodedRated::length).max().orElseThrow();
        long[] ids = new long[rows * length];
        long[] mask = new long[ids.length];
        float[] labels = new float[rows * slots];
        float[] labelMask = new float[labels.length];
        String[] names = new String[rows];
        Arrays.fill(ids, padId);
        for (int row = 0; row < rows; row++) {
            EncodedRated example = examples.get(row);
            if (example.slots() != slots) {
                throw new IllegalArgumentException("Example " + example.id() + " has " + example.slots()
                        + " slots but example " + examples.get(0).id() + " has " + slots);
            }
            fillRow(example.ids(), row, length, side, ids, mask);
            System.arraycopy(example.labels(), 0, labels, row * slots, slots);
            System.arraycopy(example.mask(), 0, labelMask, row * slots, slots);
            names[row] = example.id();
        }
        return new RegressionBatch(rows, length, slots, ids, mask, labels, labelMask, List.of(names));
    }

    private static void fillRow(int[] tokens, int row, int length, PaddingSide side, long[] ids, long[] mask) {
        int start = row * length + (side == PaddingSide.LEFT ? length - tokens.length : 0);
        for (int j = 0; j < tokens.length; j++) {
            ids[start + j] = tokens[j];
            mask[start + j] = 1;
        }
    }

    /** Returns the number of labelled slots in the batch. */
    public int labelledCount() {
        int count = 0;
        for (float flag : labelMask) {
            count += (int) flag;
        }
        return count;
    }

    /** Creates the int64 token-id array, shape {@code [rows, length]}, in {@code manager}. */
    public NDArray idsArray(NDManager manager) {
        return manager.create(ids, new Shape(rows, length));
    }

    /** Creates the int64 mask array, shape {@code [rows, length]}, in {@code manager}. */
    public NDArray maskArray(NDManager manager) {
        return manager.create(mask, new Shape(rows, length));
    }

    /** Creates the float32 label array, shape {@code [rows, slots]}, in {@code manager}. */
    public NDArray labelsArray(NDManager manager) {
        return manager.create(labels, new Shape(rows, slots));
    }

    /** Creates the float32 label-mask array, shape {@code [rows, slots]}, in {@code manager}. */
    public NDArray labelMaskArray(NDManager manager) {
        return manager.create(labelMask, new Shape(rows, slots));
    }
}
