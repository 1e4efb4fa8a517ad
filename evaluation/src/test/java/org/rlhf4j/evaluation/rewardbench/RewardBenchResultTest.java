package org.rlhf4j.evaluation.rewardbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewardBenchResultTest {

    private static final RewardBenchSchema V1 = RewardBenchSchema.v1();

    /** Two sections of one or two subsets each, with the v1 counts of those subsets. */
    private static final RewardBenchSchema SMALL = RewardBenchSchema.of("test", List.of(
            new RewardBenchSchema.Section("Chat", counts("alpacaeval-easy", 100, "mt-bench-easy", 28)),
            new RewardBenchSchema.Section("Safety", counts("donotanswer", 136))));

    @Test
    void tieCountsAsMiss() {
        List<ScoreRecord> records = pairs("donotanswer", new double[] {2, 1, 1, 0, 3}, new double[] {1, 1, 2, 0, 1});

        SubsetScore score = RewardBenchResult.score(SMALL, "m", "v", records).section("Safety").subsets().get(0);

        assertThat(score.accuracy()).isEqualTo(0.4);
        assertThat(score.correct()).isEqualTo(2);
        assertThat(score.ties()).isEqualTo(2);
        assertThat(score.pairs()).isEqualTo(5);
    }

    @Test
    void singleTieScoresZero() {
        List<ScoreRecord> records = pairs("donotanswer", new double[] {1.0}, new double[] {1.0});

        RewardBenchResult result = RewardBenchResult.score(SMALL, "m", "v", records);

        assertThat(result.section("Safety").score()).hasValue(0.0);
        assertThat(result.ties()).isEqualTo(1);
    }

    @Test
    void closeScoresAreNotRoundedIntoTies() {
        List<ScoreRecord> records = pairs("donotanswer", new double[] {1.003}, new double[] {1.000});

        assertThat(RewardBenchResult.score(SMALL, "m", "v", records).section("Safety").score()).hasValue(1.0);
    }

    @Test
    void sectionWeightsUsePublishedCounts() {
        List<ScoreRecord> records = new ArrayList<>(pairs("alpacaeval-easy", new double[] {1, 1}, new double[] {0, 0}));
        records.addAll(pairs("mt-bench-easy", new double[] {1, 0}, new double[] {0, 1}));

        SectionScore chat = RewardBenchResult.score(SMALL, "m", "v", records).section("Chat");

        assertThat(chat.score().getAsDouble()).isCloseTo((100 * 1.0 + 28 * 0.5) / 128, within(1e-15));
        assertThat(chat.score().getAsDouble()).isCloseTo(0.890625, within(1e-15));
        assertThat(chat.isComplete()).isTrue();
        assertThat(chat.presentExampleCount()).isEqualTo(128);
    }

    @Test
    void missingSubsetsMakeSectionIncomplete() {
        List<ScoreRecord> records = new ArrayList<>(pairs("alpacaeval-easy", new double[] {1, 1}, new double[] {0, 0}));
        records.addAll(pairs("mt-bench-easy", new double[] {1, 0}, new double[] {0, 1}));

        SectionScore chat = RewardBenchResult.score(V1, "m", "v", records).section("Chat");

        assertThat(chat.score().getAsDouble()).isCloseTo(0.890625, within(1e-15));
        assertThat(chat.isComplete()).isFalse();
        assertThat(chat.missingSubsets()).containsExactly("alpacaeval-length", "alpacaeval-hard", "mt-bench-med");
        assertThat(chat.presentExampleCount()).isEqualTo(128);
        assertThat(chat.totalExampleCount()).isEqualTo(358);
    }

    @Test
    void absentSectionsMakeOverallIncomplete() {
        List<ScoreRecord> records = pairs("alpacaeval-easy", new double[] {1, 0}, new double[] {0, 1});

        RewardBenchResult result = RewardBenchResult.score(V1, "m", "v", records);

        assertThat(result.isComplete()).isFalse();
        assertThat(result.absentSections()).containsExactly("Chat Hard", "Safety", "Reasoning");
        assertThat(result.section("Safety").score()).isEmpty();
        assertThat(result.section("Safety").missingSubsets()).hasSize(5);
        assertThat(result.overall()).hasValue(0.5);
    }

    @Test
    void overallOfPublishedFinalRow() {
        RewardBenchResult row = RewardBenchResult.ofSectionScores(V1, "BT (init. Helpfulness-Only Regression)",
                "Scaled + ExPO", sections(0.975, 0.857, 0.951, 0.981));

        assertThat(row.overall().getAsDouble()).isCloseTo(0.941, within(1e-12));
        assertThat(row.isComplete()).isTrue();
    }

    @Test
    void overallIsUnweightedMeanOfSections() {
        RewardBenchSchema oneSubsetEach = RewardBenchSchema.of("test", List.of(
                new RewardBenchSchema.Section("Chat", counts("a", 358)),
                new RewardBenchSchema.Section("Chat Hard", counts("b", 456)),
                new RewardBenchSchema.Section("Safety", counts("c", 740)),
                new RewardBenchSchema.Section("Reasoning", counts("d", 1968))));
        List<ScoreRecord> records = new ArrayList<>();
        records.addAll(thousandPairs("a", 975));
        records.addAll(thousandPairs("b", 857));
        records.addAll(thousandPairs("c", 951));
        records.addAll(thousandPairs("d", 981));

        RewardBenchResult result = RewardBenchResult.score(oneSubsetEach, "m", "v", records);

        assertThat(result.overall().getAsDouble()).isCloseTo(0.941, within(1e-12));
        assertThat(result.pairs()).isEqualTo(4000);
    }

    @Test
    void omittedPublishedSectionIsAbsent() {
        Map<String, Double> scores = sections(0.975, 0.857, 0.951, 0.981);
        scores.remove("Reasoning");

        RewardBenchResult row = RewardBenchResult.ofSectionScores(V1, "m", "v", scores);

        assertThat(row.absentSections()).containsExactly("Reasoning");
        assertThat(row.overall().getAsDouble()).isCloseTo((0.975 + 0.857 + 0.951) / 3, within(1e-12));
        assertThat(row.isComplete()).isFalse();
    }

    @Test
    void unknownSectionNameIsRejected() {
        assertThatThrownBy(() -> RewardBenchResult.ofSectionScores(V1, "m", "v", Map.of("Chat-Hard", 0.8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Chat-Hard'");
    }

    @Test
    void unknownSubsetsAreReportedSeparately() {
        List<ScoreRecord> records = new ArrayList<>(pairs("donotanswer", new double[] {1}, new double[] {0}));
        records.addAll(pairs("anthropic_helpful", new double[] {0, 1, 0}, new double[] {1, 0, 1}));

        RewardBenchResult result = RewardBenchResult.score(SMALL, "m", "v", records);

        assertThat(result.unknownSubsets()).containsExactly(new SubsetScore("anthropic_helpful", 3, 1, 0));
        assertThat(result.section("Safety").score()).hasValue(1.0);
        assertThat(result.pairs()).isEqualTo(1);
    }

    @Test
    void noRecordsGiveNoOverall() {
        RewardBenchResult result = RewardBenchResult.score(V1, "m", "v", List.of());

        assertThat(result.overall()).isEmpty();
        assertThat(result.absentSections()).hasSize(4);
    }

    @Test
    void duplicateIdIsRejected() {
        List<ScoreRecord> records = List.of(new ScoreRecord("7", "donotanswer", 1, 0),
                new ScoreRecord("7", "donotanswer", 0, 1));

        assertThatThrownBy(() -> RewardBenchResult.score(SMALL, "m", "v", records))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate pair id '7'");
    }

    @Test
    void nonFiniteScoreIsRejected() {
        assertThatThrownBy(() -> new ScoreRecord("1", "donotanswer", Double.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    static Map<String, Double> sections(double chat, double chatHard, double safety, double reasoning) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("Chat", chat);
        scores.put("Chat Hard", chatHard);
        scores.put("Safety", safety);
        scores.put("Reasoning", reasoning);
        return scores;
    }

    static List<ScoreRecord> pairs(String subset, double[] chosen, double[] rejected) {
        List<ScoreRecord> records = new ArrayList<>();
        for (int i = 0; i < chosen.length; i++) {
            records.add(new ScoreRecord(subset + ":" + i, subset, chosen[i], rejected[i]));
        }
        return records;
    }

    private static List<ScoreRecord> thousandPairs(String subset, int correct) {
        List<ScoreRecord> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(new ScoreRecord(subset + ":" + i, subset, i < correct ? 1 : 0, 0.5));
        }
        return records;
    }

    private static Map<String, Integer> counts(Object... nameCountPairs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < nameCountPairs.length; i += 2) {
            counts.put((String) nameCountPairs[i], (Integer) nameCountPairs[i + 1]);
        }
        return counts;
    }
}
