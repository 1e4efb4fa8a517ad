package org.rlhf4j.evaluation.rewardbench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.evaluation.internal.AtomicFiles;

/**
 * A RewardBench result table with one row per model variant, printed as JSON or as a Markdown table
 * in the layout of Table 1 of the HelpSteer2-Preference paper (columns Model type, Variant,
 * Overall, then one column per section).
 *
 * <p>Usage:
 * <pre>{@code
 * RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
 * report.add("BT (from scratch)", "Scaled", ScoreReader.read(Path.of("scores.jsonl")));
 * report.writeMarkdown(Path.of("rewardbench.md"));
 * }</pre>
 *
 * <p>In the Markdown table, scores are percentages with one decimal. Overall is the mean of the
 * unrounded section scores, so it can differ by 0.1 from the mean of the printed sections. An
 * incomplete section or Overall gets an asterisk and a footnote that names the missing subsets,
 * and a section with no score is written {@code n/a*}. Notes below the table give the number of
 * tied pairs (counted as misses) and any subsets outside the schema, which count in no score.
 */
public final class RewardBenchReport {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .create();

    private final RewardBenchSchema schema;
    private final List<RewardBenchResult> rows = new ArrayList<>();

    /**
     * Creates an empty report.
     *
     * @param schema the subsets, sections and example counts that the rows are scored with
     */
    public RewardBenchReport(RewardBenchSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /**
     * Scores one model variant and appends it as a row.
     *
     * @param modelType the first column, such as {@code "BT (from scratch)"}
     * @param variant the second column, such as {@code "Scaled"}
     * @param records the pair scores
     * @return the new row
     * @throws IllegalArgumentException when two records have the same id
     */
    public RewardBenchResult add(String modelType, String variant, Collection<ScoreRecord> records) {
        RewardBenchResult row = RewardBenchResult.score(schema, modelType, variant, records);
        rows.add(row);
        return row;
    }

    /**
     * Appends a row, for example one made with {@link RewardBenchResult#ofSectionScores}.
     *
     * @param row the row; its sections must be those of this report's schema
     * @throws IllegalArgumentException when the row has other sections
     */
    public void add(RewardBenchResult row) {
        List<String> expected = sectionNames();
        List<String> actual = row.sections().stream().map(SectionScore::name).toList();
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException("row has sections " + actual + ", but this report has " + expected);
        }
        rows.add(row);
    }

    /** Returns the schema the rows are scored with. */
    public RewardBenchSchema schema() {
        return schema;
    }

    /** Returns the rows in the order they were added. */
    public List<RewardBenchResult> rows() {
        return List.copyOf(rows);
    }

    /** Returns the report as pretty-printed JSON; scores are fractions from 0 to 1, absent ones null. */
    public String toJson() {
        return GSON.toJson(new RewardBenchJson(schema).report(rows)) + "\n";
    }

    /** Returns the report as a Markdown table with footnotes. */
    public String toMarkdown() {
        return new RewardBenchMarkdown(sectionNames(), rows).render();
    }

    /**
     * Writes {@link #toJson()} to a file, atomically.
     *
     * @throws IOException when the file cannot be written
     */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    /**
     * Writes {@link #toMarkdown()} to a file, atomically.
     *
     * @throws IOException when the file cannot be written
     */
    public void writeMarkdown(Path file) throws IOException {
        AtomicFiles.writeString(file, toMarkdown());
    }

    /**
     * Formats a score from 0 to 1 as a percentage with one decimal, such as {@code "94.1"}. The exact
     * binary value of {@code 100 * score} is rounded half-even, as Python's {@code "%.1f"} does, so
     * that tables match RewardBench's Python output: 0.9155 prints as {@code "91.5"} because
     * {@code 100 * 0.9155} is stored as 91.5499999....
     */
    public static String percent(double score) {
        return new BigDecimal(100 * score).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    private List<String> sectionNames() {
        return schema.sections().stream().map(RewardBenchSchema.Section::name).toList();
    }
}
