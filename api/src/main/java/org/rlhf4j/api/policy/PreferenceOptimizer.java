package org.rlhf4j.api.policy;

import ai.djl.ndarray.NDArray;

/**
 * A policy optimizer that learns offline from preference pairs through a loss over the per-token
 * log-probabilities of the policy and a frozen reference, such as DPO and IPO.
 *
 * <p>The implicit reward of a response is {@code beta} times its log-ratio, the sum over its
 * response tokens of {@code log pi - log pi_ref}, or the mean over those tokens when
 * {@code averageLogProbs} is set. Implementations must compute in float32, stay finite for large
 * log-ratios (compute {@code -log sigmoid(x)} as {@code softplus(-x)}), and return the mean over
 * pairs so that the loss does not grow with the batch size. Plugins register as
 * {@link PolicyOptimizer} services.
 */
public interface PreferenceOptimizer extends PolicyOptimizer {

    /** The usual DPO value of {@code beta}, the strength of the implicit KL penalty: 0.1. */
    double DEFAULT_BETA = 0.1;

    /** Returns {@link Mode#OFFLINE_PREFERENCES}. */
    @Override
    default Mode mode() {
        return Mode.OFFLINE_PREFERENCES;
    }

    /**
     * Computes the mean loss of a batch of pairs.
     *
     * @param logProbs per-token log-probabilities of both responses under the policy and the reference
     * @param beta the strength of the implicit KL penalty, positive and finite
     * @param averageLogProbs whether a log-ratio is the mean over response tokens instead of the sum
     * @return a float32 scalar, differentiable with respect to the policy log-probabilities
     * @throws IllegalArgumentException when {@code beta} is not positive and finite
     */
    NDArray loss(PreferenceLogProbs logProbs, double beta, boolean averageLogProbs);

    /**
     * Tells whether the log-ratios of this loss are per-token means unless the caller says otherwise.
     *
     * @return true for losses whose usual form uses the mean, such as IPO; false for the sum
     */
    default boolean averagesLogProbsByDefault() {
        return false;
    }

    /**
     * Tells whether the loss reads {@link PreferenceLogProbs#magnitude()}.
     *
     * @return true when the preference magnitude changes the value of the loss
     */
    default boolean usesMagnitude() {
        return false;
    }
}
