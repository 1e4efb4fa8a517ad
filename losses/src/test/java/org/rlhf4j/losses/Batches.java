package org.rlhf4j.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.rlhf4j.api.loss.PairwiseRewards;

/** Builds small float32 batches for the loss tests. */
final class Batches {

    private Batches() {}

    /** Creates a batch of pairs with the given rewards and magnitudes. */
    static PairwiseRewards pairs(NDManager manager, float[] chosen, float[] rejected, float[] magnitude) {
        return new PairwiseRewards(manager.create(chosen), manager.create(rejected), manager.create(magnitude));
    }

    /** Creates a batch of pairs with magnitude 1 for every pair. */
    static PairwiseRewards pairs(NDManager manager, float[] chosen, float[] rejected) {
        float[] ones = new float[chosen.length];
        java.util.Arrays.fill(ones, 1f);
        return pairs(manager, chosen, rejected, ones);
    }

    /** Reads a scalar loss as a float. */
    static float value(NDArray loss) {
        return loss.getFloat();
    }
}
