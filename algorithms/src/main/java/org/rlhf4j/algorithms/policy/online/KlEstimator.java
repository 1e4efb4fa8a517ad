package org.rlhf4j.algorithms.policy.online;

import org.rlhf4j.algorithms.policy.GraphScalars;
import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-token estimates of the KL divergence KL(policy || reference) from the log-probabilities of
 * the sampled tokens, {@code logp} under the policy and {@code ref} under the frozen reference.
 *
 * <p>Each estimate is computed token by token. Summed over a sampled response, {@link #K1} and
 * {@link #K3} are unbiased estimates of the sequence KL; {@link #K1} can be negative on a token,
 * {@link #ABS_K1}, {@link #K2} and {@link #K3} never are. No estimate is clamped, so a token
 * whose reference log-probability is far above the policy's can make {@link #K3} overflow to
 * infinity, which the trainers report as a diverged run.
 */
public enum KlEstimator {

    /** {@code logp - ref}. */
    K1("k1") {
        @Override
        public NDArray perToken(NDArray logProbs, NDArray referenceLogProbs) {
            return logProbs.sub(referenceLogProbs);
        }

        @Override
        public double perToken(double logProb, double referenceLogProb) {
            return logProb - referenceLogProb;
        }
    },

    /** {@code |logp - ref|}; the default of NeMo-Aligner's REINFORCE and PPO ({@code use_absolute_kl}). */
    ABS_K1("abs-k1") {
        @Override
        public NDArray perToken(NDArray logProbs, NDArray referenceLogProbs) {
            return logProbs.sub(referenceLogProbs).abs();
        }

        @Override
        public double perToken(double logProb, double referenceLogProb) {
            return Math.abs(logProb - referenceLogProb);
        }
    },

    /** {@code 0.5 * (logp - ref)^2}. */
    K2("k2") {
        @Override
        public NDArray perToken(NDArray logProbs, NDArray referenceLogProbs) {
            NDArray difference = logProbs.sub(referenceLogProbs);
            return difference.square().mul(GraphScalars.like(difference, 0.5f));
        }

        @Override
        public double perToken(double logProb, double referenceLogProb) {
            double difference = logProb - referenceLogProb;
            return 0.5 * difference * difference;
        }
    },

    /** {@code exp(ref - logp) - (ref - logp) - 1}. */
    K3("k3") {
        @Override
        public NDArray perToken(NDArray logProbs, NDArray referenceLogProbs) {
            NDArray logRatio = referenceLogProbs.sub(logProbs);
            return logRatio.exp().sub(logRatio).sub(1f);
        }

        @Override
        public double perToken(double logProb, double referenceLogProb) {
            double logRatio = referenceLogProb - logProb;
            return Math.expm1(logRatio) - logRatio;
        }
    };

    private final String key;

    KlEstimator(String key) {
        this.key = key;
    }

    /**
     * Computes the estimate at every position.
     *
     * @param logProbs log-probabilities of the sampled tokens under the policy, any shape
     * @param referenceLogProbs log-probabilities of the same tokens under the reference, same shape
     * @return the per-token estimate, same shape, attached to the manager of {@code logProbs};
     *     gradients flow through {@code logProbs} when it records them
     */
    public abstract NDArray perToken(NDArray logProbs, NDArray referenceLogProbs);

    /**
     * Computes the estimate of one token in double precision.
     *
     * @param logProb log-probability of the token under the policy
     * @param referenceLogProb log-probability of the token under the reference
     * @return the estimate
     */
    public abstract double perToken(double logProb, double referenceLogProb);

    /** Returns the lowercase name used in configurations and on the command line, such as {@code "abs-k1"}. */
    public String key() {
        return key;
    }

    /**
     * Returns the estimator with the given name.
     *
     * @param name {@code k1}, {@code abs-k1}, {@code k2} or {@code k3}, in any case
     * @return the estimator
     * @throws IllegalArgumentException for another name
     */
    public static KlEstimator fromKey(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (KlEstimator estimator : values()) {
            if (estimator.key.equals(wanted)) {
                return estimator;
            }
        }
        throw new IllegalArgumentException("Unknown KL estimator '" + name + "'; expected one of "
                + Arrays.stream(values()).map(KlEstimator::key).toList());
    }
}
