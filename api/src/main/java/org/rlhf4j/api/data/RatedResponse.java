package org.rlhf4j.api.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One response with per-attribute ratings, such as a HelpSteer2 row.
 *
 * @param id identifier of the record, or its 1-based line number
 * @param prompt the conversation before the response
 * @param response the rated response
 * @param ratings attribute name to rating, in the order of the source's attribute list; an
 *     attribute that was not rated is absent
 */
public record RatedResponse(String id, List<Turn> prompt, String response, Map<String, Double> ratings) {

    public RatedResponse {
        Objects.requireNonNull(id, "id");
        prompt = List.copyOf(prompt);
        Objects.requireNonNull(response, "response");
        ratings = Collections.unmodifiableMap(new LinkedHashMap<>(ratings));
    }
}
