package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.toy.ToyData;
import org.rlhf4j.models.reward.RewardHeadSpec;

/**
 * The lookup model predicts by the token after BOS: token 4 gives helpfulness 3 and quality target
 * 2 (rating 0.5 at scale 4), token 5 gives helpfulness 1 and quality target 4 (rating 1.0).
 */
class RegressionEvaluatorTest {

    private static final RegressionTargets TARGETS =
            RegressionTargets.builder().attribute("helpfulness").attribute("quality", 4.0, 0.0).build();

    private static final EncodedRated FIRST =
            new EncodedRated("e1", new int[] {1, 4, 2}, new float[] {4, 1}, new float[] {1, 1});
    private static final EncodedRated SECOND =
            new EncodedRated("e2", new int[] {1, 5, 8, 2}, new float[] {1, 0}, new float[] {1, 0});
    private static final EncodedRated THIRD =
            new EncodedRated("e3", new int[] {1, 4, 9, 9, 2}, new float[] {2, 3}, new float[] {1, 1});

    private static LookupModel model() {
        float[][] rows = new float[ToyData.TOKENIZER.vocabSize()][2];
        rows[4] = new float[] {3, 2};
        rows[5] = new float[] {1, 4};
        return new LookupModel(TARGETS.headSpec(), rows);
    }

    @Test
    void rmsePerAttributeInRatingUnits() {
        try (LookupModel model = model()) {
            RegressionReport report = new RegressionEvaluator(model, TARGETS, 2, PaddingSide.RIGHT, 0)
                    .evaluate(List.of(FIRST, SECOND, THIRD));

            AttributeReport helpfulness = report.attribute("helpfulness").orElseThrow();
            AttributeReport quality = report.attribute("quality").orElseThrow();
            // Helpfulness errors -1, 0, +1; quality errors 0.5 - 0.25 and 0.5 - 0.75.
            assertThat(helpfulness.count()).isEqualTo(3);
            assertThat(helpfulness.rmse()).isCloseTo(Math.sqrt(2.0 / 3), within(1e-9));
            assertThat(helpfulness.meanRating()).isCloseTo(7.0 / 3, within(1e-9));
            assertThat(quality.slot()).isEqualTo(1);
            assertThat(quality.count()).isEqualTo(2);
            assertThat(quality.rmse()).isCloseTo(0.25, within(1e-9));
            assertThat(quality.meanPrediction()).isCloseTo(0.5, within(1e-9));
        }
    }

    @Test
    void predictionsKeepInputOrder() {
        try (LookupModel model = model()) {
            RegressionReport report = new RegressionEvaluator(model, TARGETS, 1, PaddingSide.RIGHT, 0)
                    .evaluate(List.of(THIRD, SECOND, FIRST));

            assertThat(report.ids()).containsExactly("e3", "e2", "e1");
            assertThat(report.predictions()[1]).containsExactly(1f, 1f);
            assertThat(report.predictions()[2]).containsExactly(3f, 0.5f);
        }
    }

    @Test
    void meanBaselineUsesTrainingMeans() {
        Map<String, Double> baseline = RegressionEvaluator.meanBaselineRmse(TARGETS, List.of(FIRST, SECOND),
                List.of(THIRD));

        // Training means: helpfulness (4 + 1) / 2 = 2.5, quality 0.25; the test ratings are 2 and 0.75.
        assertThat(baseline.get("helpfulness")).isCloseTo(0.5, within(1e-9));
        assertThat(baseline.get("quality")).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void pairsAreScoredByRewardSlot() {
        EncodedPair right = new EncodedPair("right", new int[] {1, 4, 2}, new int[] {1, 5, 2}, 1, null);
        EncodedPair wrong = new EncodedPair("wrong", new int[] {1, 5, 2}, new int[] {1, 4, 2}, 1, null);
        try (LookupModel model = model()) {
            PairwiseReport report = new RegressionEvaluator(model, TARGETS, 2, PaddingSide.RIGHT, 0)
                    .evaluatePairs(List.of(right, wrong));

            assertThat(report.accuracy()).isEqualTo(0.5);
            assertThat(report.chosenScores()).containsExactly(3f, 1f);
        }
    }

    @Test
    void headAndTargetsMustAgree() {
        try (LookupModel model = new LookupModel(RewardHeadSpec.scalar(), new float[18][1])) {
            assertThatThrownBy(() -> new RegressionEvaluator(model, TARGETS, 2, PaddingSide.RIGHT, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has 1 outputs but the targets have 2 slots [helpfulness, quality]");
        }
    }
}
