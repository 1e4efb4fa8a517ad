package org.rlhf4j.algorithms.regression;

import java.util.List;
import java.util.Optional;

/**
 * Result of {@link RegressionEvaluator#evaluate}: per-attribute errors and every prediction.
 *
 * <p>The prediction arrays are the record's own arrays, which callers must not change.
 *
 * @param examples number of examples scored
 * @param attributes one report per slot that at least one example labels, in slot order
 * @param ids identifier of each example, in input order
 * @param predictions head outputs of each example in rating units, {@code [examples][slots]}, in
 *     input order
 */
public record RegressionReport(int examples, List<AttributeReport> attributes, List<String> ids,
        float[][] predictions) {

    public RegressionReport {
        attributes = List.copyOf(attributes);
        ids = List.copyOf(ids);
        if (ids.size() != examples || predictions.length != examples) {
            throw new IllegalArgumentException(
                    "ids and predictions must have one entry for each of the " + examples + " examples");
        }
    }

    /** Returns the report of one attribute, if some example labels it. */
    public Optional<AttributeReport> attribute(String name) {
        return attributes.stream().filter(report -> report.attribute().equals(name)).findFirst();
    }
}
