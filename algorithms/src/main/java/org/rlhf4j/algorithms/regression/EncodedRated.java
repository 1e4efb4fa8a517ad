package org.rlhf4j.algorithms.regression;

import java.util.Arrays;
import java.util.Objects;

/**
 * A rated response as token ids with one label and one mask entry per head slot, ready for
 * batching.
 *
 * <p>The arrays are copied on construction. The accessors return the record's own arrays, which
 * callers must not change.
 *
 * @param id identifier of the source record
 * @param ids token ids of the prompt and response, BOS first and EOS last
 * @param labels target of each slot, in the units the model is trained in; ignored where the mask
 *     is 0
 * @param mask 1 where the slot is labelled and 0 elsewhere; at least one slot is labelled
 */
public record EncodedRated(String id, int[] ids, float[] labels, float[] mask) {

    public EncodedRated {
        Objects.requireNonNull(id, "id");
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("Record " + id + " has no tokens");
        }
        if (labels == null || mask == null || labels.length == 0 || labels.length != mask.length) {
            throw new IllegalArgumentException("Record " + id + " needs labels and mask of the same non-zero length, "
                    + "got " + (labels == null ? "null" : labels.length) + " and "
                    + (mask == null ? "null" : mask.length));
        }
        boolean labelled = false;
        for (int slot = 0; slot < mask.length; slot++) {
            if (mask[slot] != 0 && mask[slot] != 1) {
                throw new IllegalArgumentException("Record " + id + " has mask value " + mask[slot] + " in slot "
                        + slot + "; expected 0 or 1");
            }
            if (mask[slot] == 1 && !Float.isFinite(labels[slot])) {
                throw new IllegalArgumentException("Record " + id + " has label " + labels[slot] + " in labelled slot "
                        + slot + "; expected a finite number");
            }
            labelled |= mask[slot] == 1;
        }
        if (!labelled) {
            throw new IllegalArgumentException("Record " + id + " has no labelled slot");
        }
        ids = ids.clone();
        labels = labels.clone();
        mask = mask.clone();
    }

    /** Returns the number of tokens. */
    public int length() {
        return ids.length;
    }

    /** Returns the number of head slots. */
    public int slots() {
        return labels.length;
    }

    /** Returns the number of labelled slots. */
    public int labelledCount() {
        int count = 0;
        for (float flag : mask) {
            count += (int) flag;
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedRated that
                && id.equals(that.id)
                && Arrays.equals(ids, that.ids)
                && Arrays.equals(labels, that.labels)
                && Arrays.equals(mask, that.mask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(ids), Arrays.hashCode(labels), Arrays.hashCode(mask));
    }

    @Override
    public String toString() {
        return "EncodedRated[id=" + id + ", ids=" + Arrays.toString(ids) + ", labels=" + Arrays.toString(labels)
                + ", mask=" + Arrays.toString(mask) + "]";
    }
}
