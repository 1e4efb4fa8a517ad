package org.rlhf4j.evaluation.rewardbench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints a {@link RewardBenchReport} as a Markdown table in the layout of Table 1 of the
 * HelpSteer2-Preference paper, with footnotes for incomplete cells.
 */
final class RewardBenchMarkdown {

    private static final String MARK = "*";
    private static final String ABSENT = "n/a";

    private final List<String> sectionNames;
    private final List<RewardBenchResult> rows;

    RewardBenchMarkdown(List<String> sectionNames, List<RewardBenchResult> rows) {
        this.sectionNames = sectionNames;
        this.rows = rows;
    }

    /**
     * Returns the column label of a section: its name with spaces turned into hyphens, as Table 1
     * writes "Chat Hard" as "Chat-Hard".
     */
    static String columnLabel(String sectionName) {
        return sectionName.replace(' ', '-');
    }

    String render() {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("Model type", "Variant", "Overall"));
        sectionNames.forEach(name -> header.add(columnLabel(name)));
        out.append(line(header));
        out.append("|---".repeat(header.size())).append("|\n");
        for (RewardBenchResult row : rows) {
            out.append(line(cells(row)));
        }
        appendIncompleteNote(out);
        appendTieNote(out);
        appendUnknownNote(out);
        return out.toString();
    }

    private List<String> cells(RewardBenchResult row) {
        List<String> cells = new ArrayList<>();
        cells.add(escape(row.modelType()));
        cells.add(escape(row.variant()));
        cells.add(row.overall().isPresent()
                ? RewardBenchReport.percent(row.overall().getAsDouble()) + (row.isComplete() ? "" : MARK)
                : ABSENT + MARK);
        for (SectionScore section : row.sections()) {
            cells.add(section.isAbsent()
                    ? ABSENT + MARK
                    : RewardBenchReport.percent(section.score().getAsDouble()) + (section.isComplete() ? "" : MARK));
        }
        return cells;
    }

    private void appendIncompleteNote(StringBuilder out) {
        List<RewardBenchResult> incomplete = rows.stream().filter(row -> !row.isComplete()).toList();
        if (incomplete.isEmpty()) {
            return;
        }
        out.append("\n\\* Incomplete: the score covers only the subsets present, and Overall only the sections"
                + " with a score.\n");
        for (RewardBenchResult row : incomplete) {
            out.append("- ").append(rowName(row)).append(": ").append(missingParts(row)).append(".\n");
        }
    }

    private static String missingParts(RewardBenchResult row) {
        List<String> parts = new ArrayList<>();
        for (SectionScore section : row.sections()) {
            if (section.isAbsent()) {
                parts.add(columnLabel(section.name()) + " has no scored subset (missing "
                        + String.join(", ", section.missingSubsets()) + ")");
            } else if (!section.isComplete()) {
                parts.add(columnLabel(section.name()) + " is missing " + String.join(", ", section.missingSubsets()));
            }
        }
        long present = row.sections().stream().filter(section -> !section.isAbsent()).count();
        parts.add("Overall averages " + present + " of " + row.sections().size() + " sections"
                + (present < row.sections().size() ? "" : ", some of them incomplete"));
        return String.join("; ", parts);
    }

    private void appendTieNote(StringBuilder out) {
        List<RewardBenchResult> scored = rows.stream().filter(row -> row.pairs() > 0).toList();
        if (scored.isEmpty()) {
            return;
        }
        out.append("\nTies (equal scores) count as misses. Tied pairs: ");
        out.append(scored.stream()
                .map(row -> rowName(row) + " " + row.ties() + " of " + row.pairs())
                .collect(Collectors.joining("; ")));
        out.append(".\n");
    }

    private void appendUnknownNote(StringBuilder out) {
        List<RewardBenchResult> withUnknown = rows.stream().filter(row -> !row.unknownSubsets().isEmpty()).toList();
        if (withUnknown.isEmpty()) {
            return;
        }
        out.append("\nSubsets outside the schema, not counted in any score:\n");
        for (RewardBenchResult row : withUnknown) {
            String subsets = row.unknownSubsets().stream()
                    .map(score -> score.subset() + " (" + score.pairs() + " pairs, "
                            + RewardBenchReport.percent(score.accuracy()) + "%)")
                    .collect(Collectors.joining(", "));
            out.append("- ").append(rowName(row)).append(": ").append(subsets).append(".\n");
        }
    }

    private static String rowName(RewardBenchResult row) {
        return escape(row.modelType()) + " / " + escape(row.variant());
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** Escapes characters that would break a table cell or start Markdown emphasis. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("\n", " ");
    }
}
