package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.algorithms.policy.GraphScalars;

/**
 * DPO scaled by the preference magnitude {@code m}: the mean over pairs of
 * {@code -m * log sigmoid(beta * delta)}, the DPO analogue of the scaled Bradley-Terry loss.
 * Plugin name {@value #NAME}.
 *
 * <p>The sum is divided by the number of pairs, not by the sum of magnitudes, so a pair of
 * magnitude {@code m} weighs as much as {@code m} copies of a magnitude-1 pair.
 */
public final class ScaledDpoOptimizer extends AbstractPreferenceOptimizer {

    /** Plugin name of this optimizer. */
    public static final String NAME = "scaled-dpo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "DPO scaled by the preference magnitude: mean of -magnitude * log sigmoid(beta * delta).";
    }

    @Override
    public boolean usesMagnitude() {
        return true;
    }

    @Override
    NDArray perPairLoss(NDArray delta, NDArray magnitude, float beta) {
        return StableMath.negLogSigmoid(delta.mul(GraphScalars.like(delta, beta))).mul(magnitude);
    }
}
