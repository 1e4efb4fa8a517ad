package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;
import org.rlhf4j.algorithms.policy.online.KlPenalty.Placement;

/** Two tokens with logp = [-1, -2] and ref = [-1.5, -1] (case K10 of the fault list). */
class KlPenaltyTest {

    private NDManager manager;
    private NDArray logProbs;
    private NDArray referenceLogProbs;
    private NDArray mask;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Device.cpu());
        logProbs = manager.create(new float[] {-1.0f, -2.0f}, new Shape(1, 2));
        referenceLogProbs = manager.create(new float[] {-1.5f, -1.0f}, new Shape(1, 2));
        mask = manager.ones(new Shape(1, 2));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void k1CanBeNegative() {
        float[] kl = KlEstimator.K1.perToken(logProbs, referenceLogProbs).toFloatArray();

        assertThat(kl[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(kl[1]).isCloseTo(-1.0f, within(1e-6f));
        assertThat(kl[0] + kl[1]).isCloseTo(-0.5f, within(1e-6f));
    }

    @Test
    void absoluteK1IsNeverNegative() {
        float[] kl = KlEstimator.ABS_K1.perToken(logProbs, referenceLogProbs).toFloatArray();

        assertThat(kl[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(kl[1]).isCloseTo(1.0f, within(1e-6f));
    }

    @Test
    void k3MatchesHandValues() {
        float[] kl = KlEstimator.K3.perToken(logProbs, referenceLogProbs).toFloatArray();

        // exp(-0.5) + 0.5 - 1 = 0.106531; exp(1) - 1 - 1 = 0.718282.
        assertThat(kl[0]).isCloseTo(0.106531f, within(1e-6f));
        assertThat(kl[1]).isCloseTo(0.718282f, within(1e-6f));
        assertThat((kl[0] + kl[1]) / 2).isCloseTo(0.412406f, within(1e-6f));
    }

    @Test
    void k2IsHalfSquaredDifference() {
        float[] kl = KlEstimator.K2.perToken(logProbs, referenceLogProbs).toFloatArray();

        assertThat(kl[0]).isCloseTo(0.125f, within(1e-7f));
        assertThat(kl[1]).isCloseTo(0.5f, within(1e-7f));
    }

    @Test
    void scalarFormsMatchArrayForms() {
        assertThat(KlEstimator.K1.perToken(-1.0, -1.5)).isEqualTo(0.5);
        assertThat(KlEstimator.ABS_K1.perToken(-2.0, -1.0)).isEqualTo(1.0);
        assertThat(KlEstimator.K2.perToken(-2.0, -1.0)).isEqualTo(0.5);
        assertThat(KlEstimator.K3.perToken(-1.0, -1.5)).isCloseTo(0.1065306597, within(1e-9));
        assertThat(KlEstimator.K3.perToken(-2.0, -1.0)).isCloseTo(0.7182818285, within(1e-9));
    }

    @Test
    void lossPlacementAddsPositiveTerm() {
        KlPenalty penalty = new KlPenalty(KlEstimator.K3, 0.1, Placement.LOSS);
        NDArray kl = penalty.perToken(logProbs, referenceLogProbs);
        NDArray zeroPolicyLoss = manager.create(0f);

        float total = penalty.addToLoss(zeroPolicyLoss, kl, mask).getFloat();

        // A sign error (subtracting the KL from the minimized loss) would give -0.041241.
        assertThat(total).isCloseTo(0.041241f, within(1e-6f));
    }

    @Test
    void lossPlacementLeavesRewardsAlone() {
        KlPenalty penalty = new KlPenalty(KlEstimator.K3, 0.1, Placement.LOSS);
        NDArray kl = penalty.perToken(logProbs, referenceLogProbs);

        float[] change = penalty.tokenRewardChange(kl, mask).toFloatArray();
        float shaped = penalty.shapeSequenceRewards(manager.create(new float[] {2f}), kl, mask).getFloat(0);

        assertThat(change).containsExactly(0f, 0f);
        assertThat(shaped).isEqualTo(2f);
    }

    @Test
    void rewardPlacementChangesTokenRewards() {
        KlPenalty penalty = new KlPenalty(KlEstimator.K1, 0.1, Placement.REWARD);
        NDArray kl = penalty.perToken(logProbs, referenceLogProbs);

        float[] change = penalty.tokenRewardChange(kl, mask).toFloatArray();

        assertThat(change[0]).isCloseTo(-0.05f, within(1e-7f));
        assertThat(change[1]).isCloseTo(0.10f, within(1e-7f));
    }

    @Test
    void rewardPlacementLeavesLossAlone() {
        KlPenalty penalty = new KlPenalty(KlEstimator.K1, 0.1, Placement.REWARD);
        NDArray kl = penalty.perToken(logProbs, referenceLogProbs);

        float total = penalty.addToLoss(manager.create(0.25f), kl, mask).getFloat();

        assertThat(total).isEqualTo(0.25f);
    }

    @Test
    void rewardPlacementShapesSequenceWithTokenMean() {
        KlPenalty penalty = new KlPenalty(KlEstimator.ABS_K1, 0.1, Placement.REWARD);
        NDArray kl = penalty.perToken(logProbs, referenceLogProbs);

        float shaped = penalty.shapeSequenceRewards(manager.create(new float[] {2f}), kl, mask).getFloat(0);

        // mean(|k1|) = (0.5 + 1.0) / 2 = 0.75; 2 - 0.1 * 0.75 = 1.925.
        assertThat(shaped).isCloseTo(1.925f, within(1e-6f));
    }

    @Test
    void tokenRewardChangeIsZeroOnPadding() {
        KlPenalty penalty = new KlPenalty(KlEstimator.K1, 0.1, Placement.REWARD);
        NDArray kl = penalty.perToken(logProbs, referenceLogProbs);
        NDArray firstOnly = manager.create(new float[] {1f, 0f}, new Shape(1, 2));

        float[] change = penalty.tokenRewardChange(kl, firstOnly).toFloatArray();

        assertThat(change[0]).isCloseTo(-0.05f, within(1e-7f));
        assertThat(change[1]).isEqualTo(0f);
    }

    @Test
    void measureLogsPenalisedEstimator() {
        KlPenalty penalty = new KlPenalty(KlEstimator.K3, 0.1, Placement.LOSS);

        KlMeasurement measured = penalty.measure(penalty.perToken(logProbs, referenceLogProbs), mask);

        assertThat(measured.estimator()).isEqualTo(KlEstimator.K3);
        assertThat(measured.perToken()).isCloseTo(0.412406, within(1e-6));
        assertThat(measured.perSequence()).isCloseTo(0.824813, within(1e-6));
    }

    @Test
    void measureIgnoresPadding() {
        KlPenalty penalty = new KlPenalty(KlEstimator.K1, 0.1, Placement.REWARD);
        NDArray padded = manager.create(new float[] {0.5f, Float.NaN}, new Shape(1, 2));
        NDArray firstOnly = manager.create(new float[] {1f, 0f}, new Shape(1, 2));

        KlMeasurement measured = penalty.measure(padded, firstOnly);

        assertThat(measured.perToken()).isEqualTo(0.5);
        assertThat(measured.perSequence()).isEqualTo(0.5);
    }

    @Test
    void defaultsAreAbsoluteK1InReward() {
        KlPenalty penalty = KlPenalty.defaults();

        assertThat(penalty.estimator()).isEqualTo(KlEstimator.ABS_K1);
        assertThat(penalty.beta()).isEqualTo(0.01);
        assertThat(penalty.placement()).isEqualTo(Placement.REWARD);
    }

    @Test
    void negativeBetaIsRejected() {
        assertThatThrownBy(() -> new KlPenalty(KlEstimator.K1, -0.1, Placement.REWARD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.1");
    }

    @Test
    void estimatorKeysRoundTrip() {
        for (KlEstimator estimator : KlEstimator.values()) {
            assertThat(KlEstimator.fromKey(estimator.key())).isEqualTo(estimator);
        }
        assertThatThrownBy(() -> KlEstimator.fromKey("k4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k4");
    }

    @Test
    void divergenceNamesStep() {
        assertThatThrownBy(() -> TrainingDivergedException.requireFinite("KL", Double.NaN, 7, "Lower the rate."))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("KL is NaN at step 7");
    }
}
