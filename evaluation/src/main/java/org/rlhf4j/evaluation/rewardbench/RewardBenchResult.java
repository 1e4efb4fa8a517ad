package org.rlhf4j.evaluation.rewardbench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The RewardBench scores of one model variant: one row of a {@link RewardBenchReport}.
 *
 * <p>Overall is the unweighted mean of the section scores, as in the HelpSteer2-Preference paper
 * (no "Prior Sets" section). When a section is incomplete or absent, Overall is the mean over the
 * sections that have a score, and {@link #isComplete()} is false.
 */
public final class RewardBenchResult {

    private final String modelType;
    private final String variant;
    private final List<SectionScore> sections;
    private final List<SubsetScore> unknownSubsets;

    private RewardBenchResult(String modelType, String variant, List<SectionScore> sections,
            List<SubsetScore> unknownSubsets) {
        this.modelType = Objects.requireNonNull(modelType, "modelType");
        this.variant = Objects.requireNonNull(variant, "variant");
        this.sections = List.copyOf(sections);
        this.unknownSubsets = List.copyOf(unknownSubsets);
    }

    /**
     * Scores one model variant from the scores of its pairs.
     *
     * @param schema the subsets, sections and example counts
     * @param modelType the first column of the table, such as {@code "BT (from scratch)"}
     * @param variant the second column, such as {@code "Scaled"}
     * @param records the pair scores; pairs of subsets outside the schema are scored per subset and
     *     listed in {@link #unknownSubsets()} but count in no section
     * @return the result
     * @throws IllegalArgumentException when two records have the same id
     */
    public static RewardBenchResult score(RewardBenchSchema schema, String modelType, String variant,
            Collection<ScoreRecord> records) {
        List<SubsetScore> bySubset = scoreSubsets(records);
        List<SectionScore> sections = new ArrayList<>();
        for (RewardBenchSchema.Section section : schema.sections()) {
            sections.add(SectionScore.of(section, bySubset));
        }
        List<SubsetScore> unknown = bySubset.stream().filter(score -> !schema.contains(score.subset())).toList();
        return new RewardBenchResult(modelType, variant, sections, unknown);
    }

    /**
     * Creates a row from published section scores, such as a row of a paper's table, so that it can
     * be printed next to computed rows.
     *
     * @param schema the sections
     * @param modelType the first column of the table
     * @param variant the second column
     * @param sectionScores score from 0 to 1 per section name; a section of the schema left out is
     *     absent and makes the row incomplete
     * @throws IllegalArgumentException when a name is not a section of the schema
     */
    public static RewardBenchResult ofSectionScores(RewardBenchSchema schema, String modelType, String variant,
            Map<String, Double> sectionScores) {
        for (String name : sectionScores.keySet()) {
            if (schema.section(name).isEmpty()) {
                throw new IllegalArgumentException("unknown section '" + name + "'; the schema has "
                        + schema.sections().stream().map(RewardBenchSchema.Section::name).toList());
            }
        }
        List<SectionScore> sections = new ArrayList<>();
        for (RewardBenchSchema.Section section : schema.sections()) {
            Double score = sectionScores.get(section.name());
            sections.add(score == null ? SectionScore.of(section, List.of()) : SectionScore.published(section, score));
        }
        return new RewardBenchResult(modelType, variant, sections, List.of());
    }

    /** Returns the first column of the table, the model type. */
    public String modelType() {
        return modelType;
    }

    /** Returns the second column of the table, the variant. */
    public String variant() {
        return variant;
    }

    /** Returns the score of every section of the schema, in schema order. */
    public List<SectionScore> sections() {
        return sections;
    }

    /**
     * Returns the score of the named section.
     *
     * @throws IllegalArgumentException when the schema has no such section
     */
    public SectionScore section(String name) {
        return sections.stream().filter(section -> section.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no section '" + name + "' in this result"));
    }

    /** Returns the scores of subsets that belong to no section; they count in no score. */
    public List<SubsetScore> unknownSubsets() {
        return unknownSubsets;
    }

    /**
     * Returns the unweighted mean of the section scores that are present, or empty when no section
     * has a score.
     */
    public OptionalDouble overall() {
        return sections.stream().filter(section -> !section.isAbsent())
                .mapToDouble(section -> section.score().getAsDouble())
                .average();
    }

    /** Tells whether every section is complete, so that Overall covers the whole benchmark. */
    public boolean isComplete() {
        return sections.stream().allMatch(SectionScore::isComplete);
    }

    /** Returns the names of the sections with no score at all. */
    public List<String> absentSections() {
        return sections.stream().filter(SectionScore::isAbsent).map(SectionScore::name).toList();
    }

    /** Returns the number of scored pairs in subsets of the schema. */
    public int pairs() {
        return sections.stream().flatMap(section -> section.subsets().stream()).mapToInt(SubsetScore::pairs).sum();
    }

    /** Returns the number of tied pairs in subsets of the schema; each counted as a miss. */
    public int ties() {
        return sections.stream().flatMap(section -> section.subsets().stream()).mapToInt(SubsetScore::ties).sum();
    }

    private static List<SubsetScore> scoreSubsets(Collection<ScoreRecord> records) {
        Map<String, int[]> tallies = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (ScoreRecord record : records) {
            if (!ids.add(record.id())) {
                throw new IllegalArgumentException(
                        "duplicate pair id '" + record.id() + "'; each pair must be scored once");
            }
            int[] tally = tallies.computeIfAbsent(record.subset(), subset -> new int[3]);
            tally[0]++;
            if (record.isCorrect()) {
                tally[1]++;
            } else if (record.isTie()) {
                tally[2]++;
            }
        }
        List<SubsetScore> scores = new ArrayList<>();
        tallies.forEach((subset, tally) -> scores.add(new SubsetScore(subset, tally[0], tally[1], tally[2])));
        return scores;
    }
}
