package org.rlhf4j.algorithms.eval;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Result of a {@link PairwiseEvaluator} run. All fields are numbers, strings, lists, arrays or
 * maps, so the record serializes to JSON as is.
 *
 * <p>The score arrays are the record's own arrays, which callers must not change.
 *
 * @param pairs number of pairs scored
 * @param correct pairs whose chosen score is strictly above the rejected score
 * @param ties pairs whose two scores are equal; a tie counts as a miss
 * @param accuracy strict accuracy, {@code correct / pairs}
 * @param meanMargin mean of {@code chosen - rejected} over all pairs
 * @param subsets results per subset, sorted by subset name; pairs without a subset are left out
 * @param ids identifier of each pair, in input order
 * @param chosenScores float32 score of each chosen response, in input order
 * @param rejectedScores float32 score of each rejected response, in input order
 */
public record PairwiseReport(
        int pairs,
        int correct,
        int ties,
        double accuracy,
        double meanMargin,
        Map<String, SubsetReport> subsets,
        List<String> ids,
        float[] chosenScores,
        float[] rejectedScores) {

    public PairwiseReport {
        subsets = Collections.unmodifiableMap(new TreeMap<>(subsets));
        ids = List.copyOf(ids);
        if (ids.size() != pairs || chosenScores.length != pairs || rejectedScores.length != pairs) {
            throw new IllegalArgumentException(
                    "ids and scores must have one entry for each of the " + pairs + " pairs");
        }
    }

    /** Returns each pair's margin, chosen score minus rejected score, in input order. */
    public double[] margins() {
        double[] margins = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            margins[i] = (double) chosenScores[i] - rejectedScores[i];
        }
        return margins;
    }
}
