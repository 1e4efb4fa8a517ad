package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.policy.online.KlPenalty.Placement;

class PpoMathTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray row(float... values) {
        return manager.create(values, new Shape(1, values.length));
    }

    @Test
    void scoreGoesOnEosNotPadding() {
        // Response [t0, t1, EOS, PAD, PAD].
        NDArray mask = row(1, 1, 1, 0, 0);

        NDArray rewards = TokenRewards.placeScores(manager.create(new float[] {1f}), mask);

        assertThat(rewards.toFloatArray()).containsExactly(0, 0, 1, 0, 0);
        assertThat(Masked.sum(rewards, mask).getFloat()).isEqualTo(1f);
    }

    @Test
    void scoreGoesOnLastTokenWithoutEos() {
        // Response [t0, t1, t2, t3, t4], cut at the length limit.
        NDArray mask = row(1, 1, 1, 1, 1);

        NDArray rewards = TokenRewards.placeScores(manager.create(new float[] {1f}), mask);

        assertThat(rewards.toFloatArray()).containsExactly(0, 0, 0, 0, 1);
        assertThat(Masked.sum(rewards, mask).getFloat()).isEqualTo(1f);
    }

    @Test
    void scoresPlacedPerRow() {
        NDArray mask = manager.create(new float[] {1, 0, 0, 1, 1, 1}, new Shape(2, 3));

        NDArray rewards = TokenRewards.placeScores(manager.create(new float[] {2f, -3f}), mask);

        assertThat(rewards.toFloatArray()).containsExactly(2, 0, 0, 0, 0, -3);
    }

    @Test
    void emptyRowIsRejected() {
        NDArray mask = row(0, 0);

        assertThatThrownBy(() -> TokenRewards.placeScores(manager.create(new float[] {1f}), mask))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 0");
    }

    @Test
    void klRewardAddedOnEveryToken() {
        NDArray mask = row(1, 1, 1, 0);
        KlPenalty penalty = new KlPenalty(KlEstimator.K1, 0.1, Placement.REWARD);
        NDArray kl = row(0.5f, -1f, 2f, 7f);

        NDArray rewards = TokenRewards.placeScores(manager.create(new float[] {1f}), mask)
                .add(penalty.tokenRewardChange(kl, mask));

        assertThat(rewards.toFloatArray()).containsExactly(new float[] {-0.05f, 0.1f, 0.8f, 0f}, within(1e-6f));
    }

    @Test
    void gaeOverThreeTokens() {
        NDArray rewards = row(0, 0, 1);
        NDArray values = row(0.5f, 0.6f, 0.7f);
        NDArray mask = row(1, 1, 1);

        Gae.Result result = Gae.compute(rewards, values, mask, 1.0, 0.95);

        // t=2: delta = 1 - 0.7 = 0.3. t=1: delta = 0.7 - 0.6 = 0.1, A = 0.1 + 0.95 * 0.3 = 0.385.
        // t=0: delta = 0.6 - 0.5 = 0.1, A = 0.1 + 0.95 * 0.385 = 0.46575.
        assertThat(result.advantages().toFloatArray())
                .containsExactly(new float[] {0.46575f, 0.385f, 0.3f}, within(1e-6f));
        assertThat(result.returns().toFloatArray())
                .containsExactly(new float[] {0.96575f, 0.985f, 1.0f}, within(1e-6f));
    }

    @Test
    void gaeWithDiscount() {
        NDArray rewards = row(0, 0, 1);
        NDArray values = row(0.5f, 0.6f, 0.7f);
        NDArray mask = row(1, 1, 1);

        Gae.Result result = Gae.compute(rewards, values, mask, 0.9, 0.5);

        // t=2: 0.3. t=1: delta = 0.9 * 0.7 - 0.6 = 0.03, A = 0.03 + 0.45 * 0.3 = 0.165.
        // t=0: delta = 0.9 * 0.6 - 0.5 = 0.04, A = 0.04 + 0.45 * 0.165 = 0.11425.
        assertThat(result.advantages().toFloatArray())
                .containsExactly(new float[] {0.11425f, 0.165f, 0.3f}, within(1e-6f));
    }

    @Test
    void gaeStopsAtPadding() {
        NDArray rewards = row(0, 1, 5, 5);
        NDArray values = row(0.5f, 0.2f, 9f, 9f);
        NDArray mask = row(1, 1, 0, 0);

        Gae.Result result = Gae.compute(rewards, values, mask, 1.0, 1.0);

        // t=1 is terminal: A = 1 - 0.2 = 0.8; t=0: A = 0.2 - 0.5 + 0.8 = 0.5. Padding gets 0.
        assertThat(result.advantages().toFloatArray()).containsExactly(new float[] {0.5f, 0.8f, 0f, 0f},
                within(1e-6f));
        assertThat(result.returns().toFloatArray()).containsExactly(new float[] {1.0f, 1.0f, 0f, 0f},
                within(1e-6f));
    }

    @Test
    void gaeRejectsGammaAboveOne() {
        NDArray zeros = row(0, 0);

        assertThatThrownBy(() -> Gae.compute(zeros, zeros, zeros, 1.5, 0.95))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gamma")
                .hasMessageContaining("1.5");
    }

    @Test
    void whiteningOverValidTokens() {
        NDArray values = row(1f, 3f, 100f);
        NDArray mask = row(1, 1, 0);

        float[] whitened = Whitening.whiten(values, mask).toFloatArray();

        // Mean 2, population variance 1: [-1, 1]; the padded position keeps its value.
        assertThat(whitened[0]).isCloseTo(-1f, within(1e-6f));
        assertThat(whitened[1]).isCloseTo(1f, within(1e-6f));
        assertThat(whitened[2]).isEqualTo(100f);
    }

    @Test
    void whiteningOneTokenReturnsInput() {
        NDArray values = row(4f, 0f);
        NDArray mask = row(1, 0);

        NDArray whitened = Whitening.whiten(values, mask);

        assertThat(whitened).isSameAs(values);
        assertThat(whitened.toFloatArray()).containsExactly(4f, 0f);
    }

    @Test
    void whiteningNoTokensReturnsInput() {
        NDArray values = row(4f, 2f);

        assertThat(Whitening.whiten(values, row(0, 0))).isSameAs(values);
    }

    @Test
    void whiteningEqualValuesGivesZerosNotNan() {
        float[] whitened = Whitening.whiten(row(3f, 3f), row(1, 1)).toFloatArray();

        assertThat(whitened).containsExactly(0f, 0f);
    }

    @Test
    void surrogatePositiveAdvantage() {
        NDArray ratios = row(0.5f, 1.0f, 1.5f);
        NDArray advantages = row(1f, 1f, 1f);

        float[] loss = PpoLosses.surrogatePerToken(ratios, advantages, 0.2).toFloatArray();

        // max(-0.5, -0.8) = -0.5; max(-1, -1) = -1; max(-1.5, -1.2) = -1.2.
        assertThat(loss).containsExactly(new float[] {-0.5f, -1.0f, -1.2f}, within(1e-6f));
    }

    @Test
    void surrogateNegativeAdvantage() {
        NDArray ratios = row(0.5f, 1.0f, 1.5f);
        NDArray advantages = row(-1f, -1f, -1f);

        float[] loss = PpoLosses.surrogatePerToken(ratios, advantages, 0.2).toFloatArray();

        // max(0.5, 0.8) = 0.8; max(1, 1) = 1; max(1.5, 1.2) = 1.5.
        assertThat(loss).containsExactly(new float[] {0.8f, 1.0f, 1.5f}, within(1e-6f));
    }

    @Test
    void policyLossMeanAndClipFraction() {
        NDArray oldLogProbs = row(0f, 0f, 0f, 0f);
        NDArray logProbs = row((float) Math.log(0.5), 0f, (float) Math.log(1.5), 3f);
        NDArray advantages = row(1f, 1f, 1f, 1f);
        NDArray mask = row(1, 1, 1, 0);

        PpoLosses.ClippedLoss result = PpoLosses.policyLoss(logProbs, oldLogProbs, advantages, mask, 0.2);

        // Ratios 0.5 and 1.5 lie outside [0.8, 1.2]; the padded token is left out.
        assertThat(result.loss().getFloat()).isCloseTo((-0.5f - 1.0f - 1.2f) / 3, within(1e-6f));
        assertThat(result.clipFraction()).isCloseTo(2.0 / 3, within(1e-6));
    }

    @Test
    void clippedRatioHasNoGradient() {
        NDArray logProbs = row(0f, (float) Math.log(1.5));
        logProbs.setRequiresGradient(true);
        NDArray oldLogProbs = row(0f, 0f);
        NDArray advantages = row(1f, 1f);
        NDArray mask = row(1, 1);

        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            collector.backward(PpoLosses.policyLoss(logProbs, oldLogProbs, advantages, mask, 0.2).loss());
        }
        float[] gradient = logProbs.getGradient().toFloatArray();

        // d/dlogp of -ratio / 2 at ratio 1 is -0.5; the clipped token contributes nothing.
        assertThat(gradient[0]).isCloseTo(-0.5f, within(1e-6f));
        assertThat(gradient[1]).isEqualTo(0f);
    }

    @Test
    void valueClipping() {
        NDArray values = row(1f);
        NDArray oldValues = row(5f);
        NDArray returns = row(10f);

        float clippedValue = PpoLosses.clippedValues(values, oldValues, 0.2).getFloat(0, 0);
        PpoLosses.ClippedLoss result = PpoLosses.valueLoss(values, oldValues, returns, row(1f), 0.2);

        // 0.5 * max((1 - 10)^2, (4.8 - 10)^2) = 0.5 * 81 = 40.5.
        assertThat(clippedValue).isCloseTo(4.8f, within(1e-6f));
        assertThat(result.loss().getFloat()).isCloseTo(40.5f, within(1e-5f));
        assertThat(result.clipFraction()).isEqualTo(1.0);
    }

    @Test
    void valueLossUnclippedWhenCloser() {
        NDArray values = row(5.1f, 9f);
        NDArray oldValues = row(5f, 5f);
        NDArray returns = row(10f, 6f);

        PpoLosses.ClippedLoss result = PpoLosses.valueLoss(values, oldValues, returns, row(1, 1), 0.2);

        // Token 0: inside the clip range, 0.5 * 4.9^2 = 12.005. Token 1: clipped to 5.2, errors
        // (5.2 - 6)^2 = 0.64 and (9 - 6)^2 = 9, so 4.5. Only token 1 was clipped.
        assertThat(result.loss().getFloat()).isCloseTo((12.005f + 4.5f) / 2, within(1e-4f));
        assertThat(result.clipFraction()).isEqualTo(0.5);
    }

    @Test
    void entropyOfUniformDistribution() {
        NDArray logits = manager.zeros(new Shape(1, 2, 4));

        float[] entropy = PpoLosses.entropyPerToken(logits).toFloatArray();

        assertThat(entropy).containsExactly(new float[] {(float) Math.log(4), (float) Math.log(4)}, within(1e-6f));
    }
}
