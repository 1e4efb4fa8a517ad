package org.rlhf4j.algorithms.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.toy.FixedScoreModel;
import org.rlhf4j.algorithms.toy.ToyData;
import org.rlhf4j.algorithms.toy.ToyRewardModel;

class PairwiseEvaluatorTest {

    /** Emulates bfloat16 by keeping the top 16 bits of a float32 (rounding toward zero). */
    private static float bf16(float value) {
        return Float.intBitsToFloat(Float.floatToIntBits(value) & 0xFFFF0000);
    }

    /**
     * Builds pairs whose chosen side has token {@code 2i + 4} and rejected side token {@code 2i + 5}
     * after BOS, with scores set so that the model returns {@code chosen[i]} and {@code rejected[i]}.
     */
    private static FixedScoreModel modelFor(float[] chosen, float[] rejected, DataType outputType) {
        float[] scores = new float[4 + 2 * chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            scores[2 * i + 4] = chosen[i];
            scores[2 * i + 5] = rejected[i];
        }
        return new FixedScoreModel(scores, outputType);
    }

    private static List<EncodedPair> pairsFor(int count, String... subsets) {
        List<EncodedPair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Varying lengths make batches with padding.
            int[] chosen = new int[3 + i % 3];
            chosen[0] = 1;
            chosen[1] = 2 * i + 4;
            chosen[chosen.length - 1] = 2;
            String subset = subsets.length == 0 ? null : subsets[i];
            pairs.add(new EncodedPair("pair-" + i, chosen, new int[] {1, 2 * i + 5, 2}, 1.0, subset));
        }
        return pairs;
    }

    @Test
    void strictAccuracyCountsTiesAsMisses() {
        // K01: 2 of 5 strictly correct; pairs 2 and 4 are ties.
        float[] chosen = {2, 1, 1, 0, 3};
        float[] rejected = {1, 1, 2, 0, 1};

        assertThat(PairwiseEvaluator.strictAccuracy(chosen, rejected)).isEqualTo(0.4);
        assertThat(PairwiseEvaluator.countTies(chosen, rejected)).isEqualTo(2);
    }

    @Test
    void singleTieScoresZero() {
        assertThat(PairwiseEvaluator.strictAccuracy(new float[] {1.0f}, new float[] {1.0f})).isEqualTo(0.0);
    }

    @Test
    void closeFloat32ScoresAreDistinct() {
        assertThat(PairwiseEvaluator.strictAccuracy(new float[] {1.003f}, new float[] {1.000f})).isEqualTo(1.0);
    }

    @Test
    void bf16RoundingTurnsCloseScoresIntoTie() {
        // bfloat16 keeps 7 mantissa bits: near 1 its spacing is 2^-7 = 0.0078, so 1.003 becomes 1.0.
        float chosen = bf16(1.003f);
        float rejected = bf16(1.000f);

        assertThat(chosen).isEqualTo(1.0f);
        assertThat(PairwiseEvaluator.strictAccuracy(new float[] {chosen}, new float[] {rejected})).isEqualTo(0.0);
        assertThat(PairwiseEvaluator.countTies(new float[] {chosen}, new float[] {rejected})).isEqualTo(1);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThatThrownBy(() -> PairwiseEvaluator.strictAccuracy(new float[] {1}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 and 2");
    }

    @Test
    void evaluateReportsAccuracyTiesAndMargin() {
        float[] chosen = {2, 1, 1, 0, 3};
        float[] rejected = {1, 1, 2, 0, 1};
        try (FixedScoreModel model = modelFor(chosen, rejected, DataType.FLOAT32)) {
            PairwiseReport report = new PairwiseEvaluator(model, 2, PaddingSide.RIGHT, 0).evaluate(pairsFor(5));

            assertThat(report.pairs()).isEqualTo(5);
            assertThat(report.correct()).isEqualTo(2);
            assertThat(report.ties()).isEqualTo(2);
            assertThat(report.accuracy()).isEqualTo(0.4);
            // Margins 1, 0, -1, 0, 2: mean 0.4.
            assertThat(report.meanMargin()).isCloseTo(0.4, within(1e-12));
            assertThat(report.chosenScores()).containsExactly(chosen);
            assertThat(report.rejectedScores()).containsExactly(rejected);
            assertThat(report.ids()).containsExactly("pair-0", "pair-1", "pair-2", "pair-3", "pair-4");
        }
    }

    @Test
    void float16ScoresAreUpcast() {
        // In float16 1.003 rounds to 1.0029297, still above 1.0.
        try (FixedScoreModel model = modelFor(new float[] {1.003f}, new float[] {1.000f}, DataType.FLOAT16)) {
            PairwiseReport report = new PairwiseEvaluator(model, 4, PaddingSide.RIGHT, 0).evaluate(pairsFor(1));

            assertThat(report.accuracy()).isEqualTo(1.0);
            assertThat(report.chosenScores()[0]).isCloseTo(1.0029297f, within(1e-7f));
        }
    }

    @Test
    void subsetsGetOwnAccuracy() {
        // Subset a: pairs 0 (win), 1 (tie), 2 (loss); subset b: pair 3 (win); pair 4 has no subset.
        float[] chosen = {2, 1, 0, 5, 1};
        float[] rejected = {1, 1, 2, 4, 0};
        try (FixedScoreModel model = modelFor(chosen, rejected, DataType.FLOAT32)) {
            PairwiseReport report = new PairwiseEvaluator(model, 3, PaddingSide.LEFT, 0)
                    .evaluate(pairsFor(5, "a", "a", "a", "b", null));

            assertThat(report.subsets()).containsOnlyKeys("a", "b");
            assertThat(report.subsets().get("a")).isEqualTo(new SubsetReport(3, 1, 1, 1.0 / 3));
            assertThat(report.subsets().get("b")).isEqualTo(new SubsetReport(1, 1, 0, 1.0));
            assertThat(report.accuracy()).isEqualTo(0.6);
        }
    }

    @Test
    void batchSizeDoesNotChangeScores() {
        List<EncodedPair> pairs = ToyData.encoded(20, 30);
        try (ToyRewardModel model = ToyData.model(31)) {
            PairwiseReport single = new PairwiseEvaluator(model, 1, PaddingSide.RIGHT, 0).evaluate(pairs);
            PairwiseReport batched = new PairwiseEvaluator(model, 7, PaddingSide.LEFT, 0).evaluate(pairs);

            for (int i = 0; i < pairs.size(); i++) {
                assertThat(batched.chosenScores()[i]).isCloseTo(single.chosenScores()[i], within(1e-6f));
                assertThat(batched.rejectedScores()[i]).isCloseTo(single.rejectedScores()[i], within(1e-6f));
            }
        }
    }

    @Test
    void evaluationLeavesNoArraysOnModel() {
        List<EncodedPair> pairs = ToyData.encoded(20, 32);
        try (ToyRewardModel model = ToyData.model(33)) {
            int before = model.attachedArrays();

            new PairwiseEvaluator(model, 4, PaddingSide.RIGHT, 0).evaluate(pairs);

            assertThat(model.attachedArrays()).isEqualTo(before);
        }
    }

    @Test
    void emptyPairListIsRejected() {
        try (FixedScoreModel model = modelFor(new float[] {1}, new float[] {0}, DataType.FLOAT32)) {
            PairwiseEvaluator evaluator = new PairwiseEvaluator(model, 4, PaddingSide.RIGHT, 0);

            assertThatThrownBy(() -> evaluator.evaluate(List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("No pairs");
        }
    }
}
