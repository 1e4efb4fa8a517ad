package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.rlhf4j.algorithms.policy.GraphScalars;
import org.rlhf4j.api.policy.PreferenceLogProbs;

/**
 * Per-sequence log-probabilities and log-ratios of the DPO family, from per-token values and
 * response masks.
 *
 * <p>The log-ratio of a response is the sum over its response tokens of
 * {@code log pi(token) - log pi_ref(token)}, or the mean over those tokens. Tokens where the mask
 * is 0 (prompt and padding) do not count. The implicit reward of DPO is {@code beta} times the
 * log-ratio. Everything is computed in float32.
 *
 * @param chosen log-ratio of each chosen response, shape {@code [pairs]}
 * @param rejected log-ratio of each rejected response, shape {@code [pairs]}
 */
public record LogRatios(NDArray chosen, NDArray rejected) {

    /**
     * Computes the log-ratios of both responses of every pair.
     *
     * @param logProbs per-token log-probabilities under the policy and the reference
     * @param average whether to take the mean over response tokens instead of the sum
     * @return the log-ratios; differentiable with respect to the policy log-probabilities
     */
    public static LogRatios of(PreferenceLogProbs logProbs, boolean average) {
        NDArray chosen = sequenceLogProbs(logProbs.policyChosen(), logProbs.chosenMask(), average)
                .sub(sequenceLogProbs(logProbs.referenceChosen(), logProbs.chosenMask(), average));
        NDArray rejected = sequenceLogProbs(logProbs.policyRejected(), logProbs.rejectedMask(), average)
                .sub(sequenceLogProbs(logProbs.referenceRejected(), logProbs.rejectedMask(), average));
        return new LogRatios(chosen, rejected);
    }

    /**
     * Sums or averages per-token values over the tokens where the mask is 1.
     *
     * <p>The values at masked tokens must be finite, because they are multiplied by 0. A row with no
     * unmasked token gives 0 for the sum and for the mean.
     *
     * @param tokenValues per-token values such as log-probabilities, shape {@code [rows, tokens]}
     * @param mask 1 at the tokens that count and 0 elsewhere, same shape, any numeric type
     * @param average whether to divide the sum by the number of counted tokens
     * @return float32 array of shape {@code [rows]}
     */
    public static NDArray sequenceLogProbs(NDArray tokenValues, NDArray mask, boolean average) {
        NDArray weights = mask.toType(DataType.FLOAT32, false);
        NDArray sums = tokenValues.toType(DataType.FLOAT32, false).mul(weights).sum(new int[] {1});
        if (!average) {
            return sums;
        }
        NDArray counts = weights.sum(new int[] {1});
        return sums.div(counts.maximum(GraphScalars.like(counts, 1f)));
    }

    /** Returns chosen minus rejected log-ratio of each pair, the {@code delta} of the DPO family. */
    public NDArray difference() {
        return chosen.sub(rejected);
    }
}
