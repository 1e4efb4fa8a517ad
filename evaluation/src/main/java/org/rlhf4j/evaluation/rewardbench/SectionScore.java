package org.rlhf4j.evaluation.rewardbench;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The score of one RewardBench section: the mean of its subsets' accuracies, each weighted by the
 * subset's published example count.
 *
 * <p>When some subsets of the section were not scored, the mean runs over the subsets present and
 * the section is incomplete; when none was scored, the score is empty.
 *
 * @param name the section name
 * @param score the weighted mean accuracy, from 0 to 1, or empty when no subset was scored
 * @param subsets the scored subsets, in schema order; empty for a score copied from a publication
 * @param missingSubsets the subsets of the section that were not scored, in schema order
 * @param presentExampleCount the summed example counts of the scored subsets
 * @param totalExampleCount the summed example counts of all subsets of the section
 */
public record SectionScore(
        String name,
        OptionalDouble score,
        List<SubsetScore> subsets,
        List<String> missingSubsets,
        int presentExampleCount,
        int totalExampleCount) {

    public SectionScore {
        if (score.isPresent() && !(score.getAsDouble() >= 0 && score.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("score of section '" + name + "' must be in [0, 1], got "
                    + score.getAsDouble());
        }
        subsets = List.copyOf(subsets);
        missingSubsets = List.copyOf(missingSubsets);
    }

    /**
     * Scores a section from the accuracies of its subsets.
     *
     * @param section the section, with the published example counts
     * @param scored the scores of subsets of this section; subsets of other sections are ignored
     * @return the weighted mean over the subsets present, with the missing subsets listed
     */
    public static SectionScore of(RewardBenchSchema.Section section, List<SubsetScore> scored) {
        List<SubsetScore> present = section.subsets().stream()
                .flatMap(name -> scored.stream().filter(score -> score.subset().equals(name)))
                .toList();
        List<String> missing = section.subsets().stream()
                .filter(name -> present.stream().noneMatch(score -> score.subset().equals(name)))
                .toList();
        double weighted = 0;
        int weight = 0;
        for (SubsetScore score : present) {
            int count = section.exampleCount(score.subset());
            weighted += count * score.accuracy();
            weight += count;
        }
        OptionalDouble mean = weight == 0 ? OptionalDouble.empty() : OptionalDouble.of(weighted / weight);
        return new SectionScore(section.name(), mean, present, missing, weight, section.totalExampleCount());
    }

    /**
     * Creates a complete section score from a published value, with no subset details.
     *
     * @param section the section
     * @param score the score, from 0 to 1
     */
    public static SectionScore published(RewardBenchSchema.Section section, double score) {
        int total = section.totalExampleCount();
        return new SectionScore(section.name(), OptionalDouble.of(score), List.of(), List.of(), total, total);
    }

    /** Tells whether no subset of the section was scored. */
    public boolean isAbsent() {
        return score.isEmpty();
    }

    /** Tells whether the section has a score and no missing subset. */
    public boolean isComplete() {
        return score.isPresent() && missingSubsets.isEmpty();
    }
}
