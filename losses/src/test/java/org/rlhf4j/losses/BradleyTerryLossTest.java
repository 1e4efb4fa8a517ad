package org.rlhf4j.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.rlhf4j.losses.Batches.pairs;
import static org.rlhf4j.losses.Batches.value;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.loss.PairwiseRewards;

class BradleyTerryLossTest {

    private final BradleyTerryLoss loss = new BradleyTerryLoss();
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void zeroGapGivesLnTwo() {
        // -log sigmoid(0) = log(1 + e^0) = ln 2 = 0.693147
        NDArray value = loss.compute(pairs(manager, new float[] {0.4f}, new float[] {0.4f}));

        assertThat(value(value)).isCloseTo(0.693147f, within(1e-6f));
    }

    @Test
    void averagesOverPairs() {
        // gaps [1, -1, 0]: softplus(-1) = 0.313262, softplus(1) = 1.313262, softplus(0) = 0.693147;
        // (0.313262 + 1.313262 + 0.693147) / 3 = 0.773224
        NDArray value = loss.compute(pairs(manager, new float[] {1f, 0f, 2f}, new float[] {0f, 1f, 2f}));

        assertThat(value(value)).isCloseTo(0.773224f, within(1e-6f));
    }

    @Test
    void higherChosenRewardLowersLoss() {
        // gap +2: softplus(-2) = log(1 + e^-2) = 0.126928; a flipped sign would give softplus(2) = 2.126928
        NDArray value = loss.compute(pairs(manager, new float[] {2f}, new float[] {0f}));

        assertThat(value(value)).isCloseTo(0.126928f, within(1e-6f));
    }

    @Test
    void returnsFloat32Scalar() {
        NDArray value = loss.compute(pairs(manager, new float[] {1f, 2f}, new float[] {0f, 0f}));

        assertThat(value.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(value.getShape().isScalar()).isTrue();
    }

    @Test
    void ignoresMagnitude() {
        NDArray withOnes = loss.compute(pairs(manager, new float[] {1f}, new float[] {0f}, new float[] {1f}));
        NDArray withThrees = loss.compute(pairs(manager, new float[] {1f}, new float[] {0f}, new float[] {3f}));

        assertThat(value(withThrees)).isEqualTo(value(withOnes));
        assertThat(loss.usesMagnitude()).isFalse();
    }

    @Test
    void largeNegativeGapGivesHundred() {
        // softplus(100) = 100 + log1p(e^-100) = 100.0 in float32; -log(sigmoid(-100)) would be inf
        NDArray value = loss.compute(pairs(manager, new float[] {-100f}, new float[] {0f}));

        assertThat(value(value)).isEqualTo(100.0f);
    }

    @Test
    void largePositiveGapStaysFinite() {
        // softplus(-100) = log1p(e^-100) = 3.72e-44, a float32 subnormal or 0
        float value = value(loss.compute(pairs(manager, new float[] {100f}, new float[] {0f})));

        assertThat(Float.isFinite(value)).isTrue();
        assertThat(value).isGreaterThanOrEqualTo(0f);
        assertThat(value).isLessThan(1e-40f);
    }

    @Test
    void largeGapsGiveFiniteGradients() {
        float[] gradient = GradientCheck.autogradGradient(manager, new float[] {-100f, 100f},
                chosen -> loss.compute(pairsAgainstZero(chosen)));

        // d/dc mean softplus(-(c - 0)) = -sigmoid(-c) / 2: -1/2 at c = -100 and about 0 at c = 100
        assertThat(gradient[0]).isCloseTo(-0.5f, within(1e-6f));
        assertThat(gradient[1]).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void gradientAtZeroGapIsMinusHalf() {
        // d/dc softplus(-(c - r)) = -sigmoid(r - c) = -0.5 at c = r; the kinks of max and abs at 0
        // must not change it
        float[] gradient = GradientCheck.autogradGradient(manager, new float[] {0f},
                chosen -> loss.compute(pairsAgainstZero(chosen)));

        assertThat(gradient[0]).isCloseTo(-0.5f, within(1e-6f));
    }

    @Test
    void float16InputGivesFloat32Answer() {
        // gaps [0.25, -2] are exact in float16: (softplus(-0.25) + softplus(2)) / 2
        // = (0.575939 + 2.126928) / 2 = 1.351434
        NDArray chosen = manager.create(new float[] {0.5f, -1.25f}).toType(DataType.FLOAT16, false);
        NDArray rejected = manager.create(new float[] {0.25f, 0.75f}).toType(DataType.FLOAT16, false);
        NDArray magnitude = manager.create(new float[] {1f, 1f}).toType(DataType.FLOAT16, false);

        NDArray value = loss.compute(new PairwiseRewards(chosen, rejected, magnitude));

        assertThat(value.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(value(value)).isCloseTo(1.351434f, within(1e-6f));
        NDArray float32Value = loss.compute(pairs(manager, new float[] {0.5f, -1.25f}, new float[] {0.25f, 0.75f}));
        assertThat(value(value)).isEqualTo(value(float32Value));
    }

    @Test
    void gradientMatchesFiniteDifferenceForChosen() {
        float[] rejected = {0.3f, -1.2f, 2.0f};
        GradientCheck.assertMatchesFiniteDifference(manager, new float[] {1.1f, -0.4f, 0.7f},
                chosen -> loss.compute(new PairwiseRewards(chosen, chosen.getManager().create(rejected),
                        chosen.onesLike())));
    }

    @Test
    void gradientMatchesFiniteDifferenceForRejected() {
        float[] chosen = {1.1f, -0.4f, 0.7f};
        GradientCheck.assertMatchesFiniteDifference(manager, new float[] {0.3f, -1.2f, 2.0f},
                rejected -> loss.compute(new PairwiseRewards(rejected.getManager().create(chosen), rejected,
                        rejected.onesLike())));
    }

    @Test
    void emptyBatchIsRejected() {
        PairwiseRewards empty = pairs(manager, new float[0], new float[0]);

        assertThatThrownBy(() -> loss.compute(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 pairs");
    }

    private static PairwiseRewards pairsAgainstZero(NDArray chosen) {
        return new PairwiseRewards(chosen, chosen.zerosLike(), chosen.onesLike());
    }
}
