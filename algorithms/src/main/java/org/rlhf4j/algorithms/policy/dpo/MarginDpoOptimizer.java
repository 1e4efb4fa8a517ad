package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.algorithms.policy.GraphScalars;

/**
 * DPO with a margin from the preference magnitude {@code m}: the mean over pairs of
 * {@code -log sigmoid(beta * delta - m)}, the DPO analogue of the margin Bradley-Terry loss.
 * Plugin name {@value #NAME}.
 *
 * <p>The implicit reward gap must exceed {@code m} before the loss of a pair falls below
 * {@code ln 2}. Data without magnitudes uses {@code m = 1}.
 */
public final class MarginDpoOptimizer extends AbstractPreferenceOptimizer {

    /** Plugin name of this optimizer. */
    public static final String NAME = "margin-dpo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "DPO with a margin: mean of -log sigmoid(beta * delta - magnitude).";
    }

    @Override
    public boolean usesMagnitude() {
        return true;
    }

    @Override
    NDArray perPairLoss(NDArray delta, NDArray magnitude, float beta) {
        return StableMath.negLogSigmoid(delta.mul(GraphScalars.like(delta, beta)).sub(magnitude));
    }
}
