package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;

/**
 * Identity preference optimization: the mean over pairs of {@code (delta - 1 / (2 * beta))^2},
 * which regresses the log-ratio difference to a fixed target instead of pushing it without bound.
 * Plugin name {@value #NAME}.
 *
 * <p>Here {@code beta} is IPO's regularization strength tau. By default the log-ratios are means
 * over response tokens, IPO's usual form (Hugging Face TRL also averages for IPO), because the
 * target {@code 1 / (2 * beta)} does not depend on the response length; a caller may ask for sums
 * instead. With {@code beta = 0.1} the target difference is 5 nats per token.
 */
public final class IpoOptimizer extends AbstractPreferenceOptimizer {

    /** Plugin name of this optimizer. */
    public static final String NAME = "ipo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Identity preference optimization: mean of (delta - 1 / (2 beta))^2 over per-token mean log-ratios.";
    }

    @Override
    public boolean averagesLogProbsByDefault() {
        return true;
    }

    @Override
    NDArray perPairLoss(NDArray delta, NDArray magnitude, float beta) {
        return delta.sub(1f / (2f * beta)).square();
    }
}
