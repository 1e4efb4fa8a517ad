package org.rlhf4j.algorithms.policy.online;

import org.rlhf4j.algorithms.policy.GraphScalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The losses of PPO, per token and averaged over the masked tokens.
 *
 * <p>Actor: with {@code ratio = exp(logp - oldLogp)}, the clipped surrogate is
 * {@code max(-A * ratio, -A * clip(ratio, 1 - eps, 1 + eps))}. Critic: with
 * {@code V_clip = V_old + clip(V - V_old, -c, c)}, the loss is
 * {@code 0.5 * max((V_clip - R)^2, (V - R)^2)}. The clip fraction of either loss is the share of
 * masked tokens where clipping changed the input: the ratio lies outside {@code [1 - eps, 1 + eps]},
 * or the new value lies more than {@code c} away from the old one. Whether the clipped term then
 * wins the maximum does not matter for the count.
 */
public final class PpoLosses {

    /** Default clipping range of the probability ratio: 0.2. */
    public static final double DEFAULT_RATIO_CLIP = 0.2;
    /** Default clipping range of the value prediction around the old value: 0.2. */
    public static final double DEFAULT_VALUE_CLIP = 0.2;

    private PpoLosses() {}

    /**
     * A loss averaged over masked tokens, with the share of those tokens whose clipped term won.
     *
     * @param loss the scalar loss, with gradients when the inputs record them
     * @param clipFraction clipped tokens divided by masked tokens, in [0, 1]
     */
    public record ClippedLoss(NDArray loss, double clipFraction) {}

    /**
     * Computes the probability ratios {@code exp(logp - oldLogp)}.
     *
     * @param logProbs log-probabilities under the current policy, shape [B, T]
     * @param oldLogProbs log-probabilities recorded when the tokens were sampled, shape [B, T]
     * @return the ratios, shape [B, T]
     */
    public static NDArray ratios(NDArray logProbs, NDArray oldLogProbs) {
        return logProbs.sub(oldLogProbs).exp();
    }

    /**
     * Computes the clipped surrogate of every token.
     *
     * @param ratios probability ratios, shape [B, T]
     * @param advantages advantages, shape [B, T]
     * @param epsilon clipping range, positive
     * @return {@code max(-A * ratio, -A * clip(ratio, 1 - eps, 1 + eps))}, shape [B, T]
     */
    public static NDArray surrogatePerToken(NDArray ratios, NDArray advantages, double epsilon) {
        requirePositive("epsilon", epsilon);
        NDArray unclipped = advantages.mul(ratios).neg();
        NDArray clipped = advantages.mul(ratios.clip(1 - epsilon, 1 + epsilon)).neg();
        return unclipped.maximum(clipped);
    }

    /**
     * Computes the actor loss: the clipped surrogate averaged over masked tokens.
     *
     * @param logProbs log-probabilities under the current policy, shape [B, T]
     * @param oldLogProbs log-probabilities recorded at sampling time, shape [B, T]
     * @param advantages advantages, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @param epsilon clipping range, positive
     * @return the loss and the fraction of masked tokens whose ratio lies outside the clip range
     */
    public static ClippedLoss policyLoss(NDArray logProbs, NDArray oldLogProbs, NDArray advantages, NDArray mask,
            double epsilon) {
        NDArray ratios = ratios(logProbs, oldLogProbs);
        NDArray loss = Masked.mean(surrogatePerToken(ratios, advantages, epsilon), mask);
        NDArray logRatios = logProbs.stopGradient().sub(oldLogProbs);
        NDArray outside = logRatios.exp().sub(1f).abs().gt((float) epsilon);
        return new ClippedLoss(loss, fraction(outside, mask));
    }

    /**
     * Computes the clipped value prediction {@code V_old + clip(V - V_old, -clip, clip)}.
     *
     * @param values current value predictions, shape [B, T]
     * @param oldValues predictions recorded at rollout time, shape [B, T]
     * @param clip clipping range, positive
     * @return the clipped predictions, shape [B, T]
     */
    public static NDArray clippedValues(NDArray values, NDArray oldValues, double clip) {
        requirePositive("value clip", clip);
        return oldValues.add(values.sub(oldValues).clip(-clip, clip));
    }

    /**
     * Computes the critic loss of every token, {@code 0.5 * max((V_clip - R)^2, (V - R)^2)}.
     *
     * @param values current value predictions, shape [B, T]
     * @param oldValues predictions recorded at rollout time, shape [B, T]
     * @param returns GAE returns, shape [B, T]
     * @param clip clipping range, positive
     * @return the per-token loss, shape [B, T]
     */
    public static NDArray valueLossPerToken(NDArray values, NDArray oldValues, NDArray returns, double clip) {
        NDArray clippedError = clippedValues(values, oldValues, clip).sub(returns).square();
        NDArray error = values.sub(returns).square();
        NDArray worse = clippedError.maximum(error);
        return worse.mul(GraphScalars.like(worse, 0.5f));
    }

    /**
     * Computes the critic loss averaged over masked tokens.
     *
     * @param values current value predictions, shape [B, T]
     * @param oldValues predictions recorded at rollout time, shape [B, T]
     * @param returns GAE returns, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @param clip clipping range, positive
     * @return the loss and the fraction of masked tokens whose new value lies more than {@code clip}
     *     away from the old one
     */
    public static ClippedLoss valueLoss(NDArray values, NDArray oldValues, NDArray returns, NDArray mask,
            double clip) {
        NDArray loss = Masked.mean(valueLossPerToken(values, oldValues, returns, clip), mask);
        NDArray outside = values.stopGradient().sub(oldValues).abs().gt((float) clip);
        return new ClippedLoss(loss, fraction(outside, mask));
    }

    /**
     * Computes the entropy of the next-token distribution at every position,
     * {@code -sum_v p(v) log p(v)}.
     *
     * @param logits next-token logits, shape [B, T, V]
     * @return the entropy in nats, shape [B, T]
     */
    public static NDArray entropyPerToken(NDArray logits) {
        NDArray logProbs = logits.logSoftmax(-1);
        return logProbs.exp().mul(logProbs).sum(new int[] {-1}).neg();
    }

    private static double fraction(NDArray flags, NDArray mask) {
        NDArray asFloat = flags.toType(DataType.FLOAT32, false);
        return Masked.mean(asFloat, mask).toType(DataType.FLOAT64, false).getDouble();
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
    }
}
