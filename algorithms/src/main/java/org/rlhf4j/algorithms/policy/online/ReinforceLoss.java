package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;

/**
 * The REINFORCE policy-gradient loss: {@code -log pi(token) * advantage} at every response token,
 * with the advantage of the token's sequence, averaged over all response tokens of the batch.
 * There is no importance ratio and no clipping, so each batch of samples serves one update.
 */
public final class ReinforceLoss {

    private ReinforceLoss() {}

    /**
     * Computes the loss of every token.
     *
     * @param logProbs log-probabilities of the sampled tokens under the current policy, shape [B, T]
     * @param advantages advantage of each sequence, shape [B]
     * @return {@code -logProbs * advantages[:, None]}, shape [B, T]; padding positions hold
     *     meaningless values that the mask removes
     */
    public static NDArray perToken(NDArray logProbs, NDArray advantages) {
        long batch = logProbs.getShape().get(0);
        if (advantages.getShape().dimension() != 1 || advantages.getShape().get(0) != batch) {
            throw new IllegalArgumentException("advantages must have shape [" + batch + "] but have "
                    + advantages.getShape());
        }
        return logProbs.mul(advantages.reshape(batch, 1).toType(logProbs.getDataType(), false)).neg();
    }

    /**
     * Computes the loss averaged over the response tokens of the batch.
     *
     * @param logProbs log-probabilities of the sampled tokens under the current policy, shape [B, T]
     * @param advantages advantage of each sequence, shape [B]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @return the scalar loss; 0 when the mask is empty
     */
    public static NDArray mean(NDArray logProbs, NDArray advantages, NDArray mask) {
        return Masked.mean(perToken(logProbs, advantages), mask);
    }
}
