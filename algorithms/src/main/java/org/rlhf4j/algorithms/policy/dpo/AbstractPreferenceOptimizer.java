package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.rlhf4j.api.policy.PreferenceLogProbs;
import org.rlhf4j.api.policy.PreferenceOptimizer;

/**
 * Base of the built-in DPO-family losses: checks {@code beta}, computes the log-ratio difference
 * {@code delta} of every pair with {@link LogRatios}, and averages the per-pair loss of the
 * subclass over the pairs.
 */
abstract class AbstractPreferenceOptimizer implements PreferenceOptimizer {

    @Override
    public final NDArray loss(PreferenceLogProbs logProbs, double beta, boolean averageLogProbs) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        if (logProbs.pairs() == 0) {
            throw new IllegalArgumentException(name() + " needs at least one pair, got an empty batch");
        }
        NDArray delta = LogRatios.of(logProbs, averageLogProbs).difference();
        NDArray magnitude = logProbs.magnitude().toType(DataType.FLOAT32, false);
        return perPairLoss(delta, magnitude, (float) beta).mean();
    }

    /**
     * Computes the loss of each pair.
     *
     * @param delta chosen minus rejected log-ratio of each pair, float32, shape {@code [pairs]}
     * @param magnitude preference magnitude of each pair, float32, shape {@code [pairs]}
     * @param beta the strength of the implicit KL penalty
     * @return float32 array of shape {@code [pairs]}
     */
    abstract NDArray perPairLoss(NDArray delta, NDArray magnitude, float beta);
}
