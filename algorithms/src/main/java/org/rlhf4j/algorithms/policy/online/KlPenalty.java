package org.rlhf4j.algorithms.policy.online;

import org.rlhf4j.algorithms.policy.GraphScalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import java.util.Objects;

/**
 * The KL regularisation of an online policy optimizer: which estimator, how strong, and where it
 * applies. The same object shapes the rewards or the loss and measures the KL that is logged, so
 * the logged value is always the penalised estimate.
 *
 * <p>With {@link Placement#REWARD} the estimate is computed from the log-probabilities recorded at
 * sampling time and subtracted from the reward ({@code beta * kl} per token for PPO,
 * {@code beta * mean(kl)} per sequence for REINFORCE), so no gradient flows through it. With
 * {@link Placement#LOSS} the estimate is computed from the current policy's log-probabilities and
 * {@code beta * mean(kl)} is added to the minimized loss, so gradient descent lowers the KL.
 *
 * @param estimator the per-token estimate
 * @param beta the coefficient, finite and at least 0; 0 turns the penalty off but the KL is still
 *     measured
 * @param placement where the penalty applies
 */
public record KlPenalty(KlEstimator estimator, double beta, Placement placement) {

    /** Default coefficient, as in NeMo-Aligner's REINFORCE and PPO configurations: 0.01. */
    public static final double DEFAULT_BETA = 0.01;

    /** The place where the KL penalty enters training. */
    public enum Placement {
        /** Subtracted from the rewards before advantages are computed. */
        REWARD,
        /** Added to the minimized loss. */
        LOSS
    }

    public KlPenalty {
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(placement, "placement");
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("KL coefficient beta must be finite and >= 0, got " + beta);
        }
    }

    /**
     * Returns the default penalty: absolute k1 with beta 0.01 in the reward, as NeMo-Aligner's
     * REINFORCE and PPO configurations set it.
     */
    public static KlPenalty defaults() {
        return new KlPenalty(KlEstimator.ABS_K1, DEFAULT_BETA, Placement.REWARD);
    }

    /**
     * Computes the per-token KL estimate.
     *
     * @param logProbs log-probabilities of the sampled tokens under the policy, shape [B, T]
     * @param referenceLogProbs the same under the reference, shape [B, T]
     * @return the estimate, shape [B, T]
     */
    public NDArray perToken(NDArray logProbs, NDArray referenceLogProbs) {
        return estimator.perToken(logProbs, referenceLogProbs);
    }

    /**
     * Shapes sequence rewards for REINFORCE: {@code score - beta * mean over response tokens of kl}
     * with {@link Placement#REWARD}, the scores unchanged with {@link Placement#LOSS}.
     *
     * @param scores the reward of each sequence, shape [B]
     * @param perTokenKl the estimate from {@link #perToken}, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @return the shaped rewards, shape [B]
     */
    public NDArray shapeSequenceRewards(NDArray scores, NDArray perTokenKl, NDArray mask) {
        if (placement == Placement.LOSS) {
            return scores;
        }
        NDArray rowMean = Masked.rowMean(perTokenKl, mask);
        return scores.sub(rowMean.mul(GraphScalars.like(rowMean, (float) beta)));
    }

    /**
     * Computes the per-token reward change for PPO: {@code -beta * kl} at response tokens with
     * {@link Placement#REWARD}, zeros with {@link Placement#LOSS}. Padding positions get 0.
     *
     * @param perTokenKl the estimate from {@link #perToken}, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @return the change to add to the per-token rewards, shape [B, T]
     */
    public NDArray tokenRewardChange(NDArray perTokenKl, NDArray mask) {
        if (placement == Placement.LOSS) {
            return perTokenKl.zerosLike();
        }
        NDArray kept = Masked.zeroOutside(perTokenKl, mask);
        return kept.mul(GraphScalars.like(kept, (float) -beta));
    }

    /**
     * Computes the loss term, {@code beta * mean over masked tokens of kl} with
     * {@link Placement#LOSS} and 0 with {@link Placement#REWARD}.
     *
     * @param perTokenKl the estimate from {@link #perToken} on the current policy's
     *     log-probabilities, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @return a scalar to add to the minimized loss
     */
    public NDArray lossTerm(NDArray perTokenKl, NDArray mask) {
        if (placement == Placement.REWARD) {
            return perTokenKl.getManager().create(0f).toType(perTokenKl.getDataType(), false);
        }
        NDArray mean = Masked.mean(perTokenKl, mask);
        return mean.mul(GraphScalars.like(mean, (float) beta));
    }

    /**
     * Computes {@code beta} times the sum of the estimate over masked tokens with
     * {@link Placement#LOSS}, and 0 with {@link Placement#REWARD}. A trainer that accumulates
     * gradients over micro-batches adds this sum to each micro-batch's loss sum and divides by the
     * token count of the whole batch, which gives {@link #lossTerm} of the whole batch.
     *
     * @param perTokenKl the estimate on the current policy's log-probabilities, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @return a scalar
     */
    public NDArray lossTermSum(NDArray perTokenKl, NDArray mask) {
        if (placement == Placement.REWARD) {
            return perTokenKl.getManager().create(0f).toType(perTokenKl.getDataType(), false);
        }
        NDArray sum = Masked.sum(perTokenKl, mask);
        return sum.mul(GraphScalars.like(sum, (float) beta));
    }

    /**
     * Adds {@link #lossTerm} to a loss.
     *
     * @param loss the scalar loss to minimize
     * @param perTokenKl the estimate on the current policy's log-probabilities, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @return {@code loss + beta * mean(kl)} with {@link Placement#LOSS}, {@code loss} otherwise
     */
    public NDArray addToLoss(NDArray loss, NDArray perTokenKl, NDArray mask) {
        if (placement == Placement.REWARD) {
            return loss;
        }
        return loss.add(lossTerm(perTokenKl, mask));
    }

    /**
     * Measures the KL for logging with this penalty's estimator.
     *
     * @param perTokenKl the estimate from {@link #perToken}, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @return the mean per token and the mean over sequences of the per-sequence sum
     */
    public KlMeasurement measure(NDArray perTokenKl, NDArray mask) {
        double perToken = Masked.mean(perTokenKl, mask).toType(DataType.FLOAT64, false).getDouble();
        double perSequence = Masked.rowSum(perTokenKl, mask).mean().toType(DataType.FLOAT64, false).getDouble();
        return new KlMeasurement(estimator, perToken, perSequence);
    }

    @Override
    public String toString() {
        return "kl(" + estimator.key() + ", beta=" + beta + ", in " + placement.name().toLowerCase(Locale.ROOT) + ")";
    }
}
