package org.rlhf4j.pipeline;

import java.util.List;
import java.util.Objects;
import org.rlhf4j.api.data.PreferencePair;

/**
 * Held-out preference pairs that every model of a pipeline is scored on.
 *
 * @param name name of the set in reports, for example {@code held-out} or {@code llmbar}
 * @param pairs the pairs; a pair's subset, when present, gives a per-subset accuracy
 */
public record EvaluationSet(String name, List<PreferencePair> pairs) {

    public EvaluationSet {
        Objects.requireNonNull(name, "name");
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("Evaluation set '" + name + "' has no pairs");
        }
    }
}
