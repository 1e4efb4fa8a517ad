package org.rlhf4j.api.data;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Two responses to one prompt with a human (or model) judgment of which is better.
 *
 * @param id identifier of the record, or the 1-based line or element number when the source has
 *     no identifier
 * @param prompt the conversation before the two responses; the last turn is a user turn
 * @param chosen the preferred response
 * @param rejected the other response
 * @param magnitude how strongly {@code chosen} is preferred, at least 1 (HelpSteer2-Preference
 *     uses 1, 2 or 3); 1 when the source gives no strength
 * @param subset name of the benchmark subset the pair belongs to, or null
 */
public record PreferencePair(
        String id, List<Turn> prompt, String chosen, String rejected, double magnitude, String subset) {

    public PreferencePair {
        Objects.requireNonNull(id, "id");
        prompt = List.copyOf(prompt);
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        if (!(magnitude > 0) || Double.isInfinite(magnitude)) {
            throw new IllegalArgumentException("magnitude must be positive and finite, got " + magnitude);
        }
    }

    /** Returns the benchmark subset, if the source has one. */
    public Optional<String> subsetName() {
        return Optional.ofNullable(subset);
    }
}
