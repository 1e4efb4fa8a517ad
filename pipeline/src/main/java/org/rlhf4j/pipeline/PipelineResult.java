package org.rlhf4j.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.algorithms.eval.PairwiseReport;

/**
 * Outcome of a pipeline run: each stage's result and the pairwise accuracy of each stage's model on each
 * evaluation set.
 *
 * @param stages stage results in run order
 * @param evaluations stage name, then evaluation-set name, to the report
 */
public record PipelineResult(Map<String, StageResult> stages, Map<String, Map<String, PairwiseReport>> evaluations) {

    public PipelineResult {
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        Map<String, Map<String, PairwiseReport>> copy = new LinkedHashMap<>();
        evaluations.forEach((stage, sets) -> copy.put(stage, Collections.unmodifiableMap(new LinkedHashMap<>(sets))));
        evaluations = Collections.unmodifiableMap(copy);
    }

    /**
     * Returns the accuracy of one stage's model on one evaluation set.
     *
     * @throws IllegalArgumentException when the pair was not evaluated
     */
    public double accuracy(String stage, String set) {
        Map<String, PairwiseReport> sets = evaluations.get(stage);
        if (sets == null || !sets.containsKey(set)) {
            throw new IllegalArgumentException("No evaluation of stage '" + stage + "' on set '" + set + "'");
        }
        return sets.get(set).accuracy();
    }

    /** Renders one row per stage and one accuracy column per evaluation set as a Markdown table. */
    public String toMarkdown() {
        List<String> sets = new ArrayList<>();
        evaluations.values().forEach(bySet -> bySet.keySet().stream().filter(set -> !sets.contains(set)).forEach(sets::add));
        StringBuilder table = new StringBuilder("| Stage |");
        sets.forEach(set -> table.append(' ').append(set).append(" |"));
        table.append("\n|---|");
        sets.forEach(set -> table.append("---|"));
        table.append('\n');
        evaluations.forEach((stage, bySet) -> {
            table.append("| ").append(stage).append(" |");
            for (String set : sets) {
                PairwiseReport report = bySet.get(set);
                table.append(' ').append(report == null ? "-" : String.format(Locale.ROOT, "%.1f", 100 * report.accuracy()))
                        .append(" |");
            }
            table.append('\n');
        });
        return table.toString();
    }
}
