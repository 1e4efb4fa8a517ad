package org.rlhf4j.algorithms.policy.online;

/**
 * The KL between policy and reference measured on a batch of responses, as logged.
 *
 * @param estimator the per-token estimate that was averaged; the one the run penalises
 * @param perToken mean of the estimate over all response tokens of the batch
 * @param perSequence mean over responses of the estimate summed over each response's tokens
 */
public record KlMeasurement(KlEstimator estimator, double perToken, double perSequence) {

    /** Tells whether both values are finite. */
    public boolean isFinite() {
        return Double.isFinite(perToken) && Double.isFinite(perSequence);
    }
}
