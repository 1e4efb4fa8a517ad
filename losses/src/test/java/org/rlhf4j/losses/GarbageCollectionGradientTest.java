package org.rlhf4j.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.loss.PairwiseRewards;

/**
 * Gradients must not depend on whether a garbage collection runs between forward and backward: DJL frees
 * the memory of scalars passed as numbers while autograd still reads it.
 */
class GarbageCollectionGradientTest {

    @Test
    void gradientSurvivesCollectionBeforeBackward() {
        for (int trial = 0; trial < 5; trial++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray chosen = manager.create(new float[] {0.5f, -2f, 30f});
                NDArray rejected = manager.create(new float[] {0.2f, 1f, -30f});
                chosen.setRequiresGradient(true);
                rejected.setRequiresGradient(true);
                NDArray magnitude = manager.create(new float[] {1f, 2f, 3f});

                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = new ScaledBradleyTerryLoss().compute(new PairwiseRewards(chosen, rejected, magnitude));
                    collectGarbage();
                    collector.backward(loss);
                }

                float[] gradient = chosen.getGradient().toFloatArray();
                // d/dc of mean(m * softplus(-(c - r))) = -m * sigmoid(-(c - r)) / 3
                assertThat(gradient[0]).isCloseTo((float) (-1 * sigmoid(-0.3) / 3), within(1e-6f));
                assertThat(gradient[1]).isCloseTo((float) (-2 * sigmoid(3.0) / 3), within(1e-6f));
                assertThat(gradient[2]).isCloseTo((float) (-3 * sigmoid(-60.0) / 3), within(1e-6f));
            }
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            byte[][] garbage = new byte[64][];
            for (int j = 0; j < garbage.length; j++) {
                garbage[j] = new byte[1 << 16];
            }
            System.gc();
        }
    }
}
