package org.rlhf4j.losses;

import static org.assertj.core.api.Assertions.assertThat;
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

class ScaledBradleyTerryLossTest {

    private final ScaledBradleyTerryLoss loss = new ScaledBradleyTerryLoss();
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
    void weighsPairsByMagnitude() {
        // gaps [1, -1], m [3, 1]: (3 * 0.313262 + 1 * 1.313262) / 2 = 1.126523
        NDArray value = loss.compute(
                pairs(manager, new float[] {1f, 0f}, new float[] {0f, 1f}, new float[] {3f, 1f}));

        assertThat(value(value)).isCloseTo(1.126523f, within(1e-6f));
    }

    @Test
    void dividesByPairCountNotMagnitudeSum() {
        // same batch: dividing by sum(m) = 4 instead of 2 pairs would give 0.563262
        NDArray value = loss.compute(
                pairs(manager, new float[] {1f, 0f}, new float[] {0f, 1f}, new float[] {3f, 1f}));

        assertThat(value(value)).isNotCloseTo(0.563262f, within(1e-3f));
        assertThat(value(value)).isCloseTo(1.126523f, within(1e-6f));
    }

    @Test
    void swappedRewardsGiveDifferentLoss() {
        // chosen and rejected swapped (wrong sign): (3 * 1.313262 + 1 * 0.313262) / 2 = 2.126523
        NDArray right = loss.compute(
                pairs(manager, new float[] {1f, 0f}, new float[] {0f, 1f}, new float[] {3f, 1f}));
        NDArray swapped = loss.compute(
                pairs(manager, new float[] {0f, 1f}, new float[] {1f, 0f}, new float[] {3f, 1f}));

        assertThat(value(right)).isCloseTo(1.126523f, within(1e-6f));
        assertThat(value(swapped)).isCloseTo(2.126523f, within(1e-6f));
    }

    @Test
    void unitMagnitudesMatchBradleyTerry() {
        PairwiseRewards batch = pairs(manager, new float[] {1f, 0f, 2f}, new float[] {0f, 1f, 2f});

        float scaled = value(loss.compute(batch));
        float plain = value(new BradleyTerryLoss().compute(batch));

        assertThat(scaled).isCloseTo(plain, within(1e-7f));
    }

    @Test
    void usesMagnitude() {
        assertThat(loss.usesMagnitude()).isTrue();
    }

    @Test
    void largeNegativeGapStaysFinite() {
        // 3 * softplus(100) = 300.0
        NDArray value = loss.compute(pairs(manager, new float[] {-100f}, new float[] {0f}, new float[] {3f}));

        assertThat(value(value)).isEqualTo(300.0f);
    }

    @Test
    void float16InputGivesFloat32Answer() {
        NDArray chosen = manager.create(new float[] {1f, 0f}).toType(DataType.FLOAT16, false);
        NDArray rejected = manager.create(new float[] {0f, 1f}).toType(DataType.FLOAT16, false);
        NDArray magnitude = manager.create(new float[] {3f, 1f}).toType(DataType.FLOAT16, false);

        NDArray value = loss.compute(new PairwiseRewards(chosen, rejected, magnitude));

        assertThat(value.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(value(value)).isCloseTo(1.126523f, within(1e-6f));
    }

    @Test
    void gradientMatchesFiniteDifferenceForChosen() {
        float[] rejected = {0.3f, -1.2f, 2.0f};
        float[] magnitude = {1f, 2f, 3f};
        GradientCheck.assertMatchesFiniteDifference(manager, new float[] {1.1f, -0.4f, 0.7f},
                chosen -> loss.compute(new PairwiseRewards(chosen, chosen.getManager().create(rejected),
                        chosen.getManager().create(magnitude))));
    }

    @Test
    void gradientMatchesFiniteDifferenceForRejected() {
        float[] chosen = {1.1f, -0.4f, 0.7f};
        float[] magnitude = {1f, 2f, 3f};
        GradientCheck.assertMatchesFiniteDifference(manager, new float[] {0.3f, -1.2f, 2.0f},
                rejected -> loss.compute(new PairwiseRewards(rejected.getManager().create(chosen), rejected,
                        rejected.getManager().create(magnitude))));
    }
}
