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

class MarginBradleyTerryLossTest {

    private final MarginBradleyTerryLoss loss = new MarginBradleyTerryLoss();
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
    void subtractsMagnitudeFromGap() {
        // gaps [3, 1], m [1, 2] -> arguments [2, -1]: (softplus(-2) + softplus(1)) / 2
        // = (0.126928 + 1.313262) / 2 = 0.720095; adding m instead would give 0.033368
        NDArray value = loss.compute(
                pairs(manager, new float[] {3f, 1f}, new float[] {0f, 0f}, new float[] {1f, 2f}));

        assertThat(value(value)).isCloseTo(0.720095f, within(1e-6f));
    }

    @Test
    void gapEqualToMarginGivesLnTwo() {
        // gap 2 - margin 2 = 0: ln 2 = 0.693147
        NDArray value = loss.compute(pairs(manager, new float[] {2.5f}, new float[] {0.5f}, new float[] {2f}));

        assertThat(value(value)).isCloseTo(0.693147f, within(1e-6f));
    }

    @Test
    void usesMagnitude() {
        assertThat(loss.usesMagnitude()).isTrue();
    }

    @Test
    void largeNegativeArgumentStaysFinite() {
        // gap -97, margin 3 -> argument -100: softplus(100) = 100.0
        NDArray value = loss.compute(pairs(manager, new float[] {-97f}, new float[] {0f}, new float[] {3f}));

        assertThat(value(value)).isEqualTo(100.0f);
    }

    @Test
    void float16InputGivesFloat32Answer() {
        NDArray chosen = manager.create(new float[] {3f, 1f}).toType(DataType.FLOAT16, false);
        NDArray rejected = manager.create(new float[] {0f, 0f}).toType(DataType.FLOAT16, false);
        NDArray magnitude = manager.create(new float[] {1f, 2f}).toType(DataType.FLOAT16, false);

        NDArray value = loss.compute(new PairwiseRewards(chosen, rejected, magnitude));

        assertThat(value.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(value(value)).isCloseTo(0.720095f, within(1e-6f));
    }

    @Test
    void gradientMatchesFiniteDifferenceForChosen() {
        float[] rejected = {0.3f, -1.2f, 2.0f};
        float[] magnitude = {1f, 2f, 3f};
        GradientCheck.assertMatchesFiniteDifference(manager, new float[] {1.1f, -0.4f, 4.7f},
                chosen -> loss.compute(new PairwiseRewards(chosen, chosen.getManager().create(rejected),
                        chosen.getManager().create(magnitude))));
    }

    @Test
    void gradientMatchesFiniteDifferenceForRejected() {
        float[] chosen = {1.1f, -0.4f, 4.7f};
        float[] magnitude = {1f, 2f, 3f};
        GradientCheck.assertMatchesFiniteDifference(manager, new float[] {0.3f, -1.2f, 2.0f},
                rejected -> loss.compute(new PairwiseRewards(rejected.getManager().create(chosen), rejected,
                        rejected.getManager().create(magnitude))));
    }
}
