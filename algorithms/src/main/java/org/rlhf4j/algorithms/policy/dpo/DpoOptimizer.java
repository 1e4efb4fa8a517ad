package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.algorithms.policy.GraphScalars;

/**
 * Direct preference optimization: the mean over pairs of {@code -log sigmoid(beta * delta)},
 * where {@code delta} is the chosen minus the rejected log-ratio. Plugin name {@value #NAME}.
 *
 * <p>The log-ratios are sums over response tokens unless the caller asks for means. With the
 * policy equal to the reference, {@code delta = 0} and the loss is {@code ln 2 = 0.6931}.
 */
public final class DpoOptimizer extends AbstractPreferenceOptimizer {

    /** Plugin name of this optimizer. */
    public static final String NAME = "dpo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Direct preference optimization: mean of -log sigmoid(beta * (chosen - rejected log-ratio)).";
    }

    @Override
    NDArray perPairLoss(NDArray delta, NDArray magnitude, float beta) {
        return StableMath.negLogSigmoid(delta.mul(GraphScalars.like(delta, beta)));
    }
}
