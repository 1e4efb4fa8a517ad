package org.rlhf4j.algorithms.reward;

import java.util.Arrays;
import java.util.Objects;

/**
 * A preference pair as token ids, ready for batching.
 *
 * <p>The id arrays are copied on construction. The accessors return the record's own arrays, which
 * callers must not change.
 *
 * @param id identifier of the source pair
 * @param chosen token ids of the prompt and preferred response, BOS first and EOS last
 * @param rejected token ids of the prompt and other response, BOS first and EOS last
 * @param magnitude how strongly {@code chosen} is preferred, positive
 * @param subset benchmark subset of the pair, or null
 */
public record EncodedPair(String id, int[] chosen, int[] rejected, double magnitude, String subset) {

    public EncodedPair {
        Objects.requireNonNull(id, "id");
        if (chosen == null || chosen.length == 0) {
            throw new IllegalArgumentException("Pair " + id + " has no chosen tokens");
        }
        if (rejected == null || rejected.length == 0) {
            throw new IllegalArgumentException("Pair " + id + " has no rejected tokens");
        }
        if (!(magnitude > 0) || Double.isInfinite(magnitude)) {
            throw new IllegalArgumentException("Pair " + id + " has magnitude " + magnitude + ", expected positive");
        }
        chosen = chosen.clone();
        rejected = rejected.clone();
    }

    /** Returns the length of the longer of the two sequences. */
    public int maxLength() {
        return Math.max(chosen.length, rejected.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedPair that
                && id.equals(that.id)
                && Arrays.equals(chosen, that.chosen)
                && Arrays.equals(rejected, that.rejected)
                && Double.compare(magnitude, that.magnitude) == 0
                && Objects.equals(subset, that.subset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(chosen), Arrays.hashCode(rejected), magnitude, subset);
    }

    @Override
    public String toString() {
        return "EncodedPair[id=" + id + ", chosen=" + Arrays.toString(chosen) + ", rejected="
                + Arrays.toString(rejected) + ", magnitude=" + magnitude + ", subset=" + subset + "]";
    }
}
