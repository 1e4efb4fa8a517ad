package org.rlhf4j.models.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the next token from one row of logits in Java, in double precision, so that the samples
 * depend only on the logits, the settings and the random number generator, not on the engine.
 */
final class TokenSampler {

    private final SamplingConfig config;

    TokenSampler(SamplingConfig config) {
        this.config = config;
    }

    /**
     * A drawn token with its log-probability under the unmodified policy and under the sampling
     * distribution.
     */
    record Draw(int token, double logProb, double samplingLogProb) {}

    /**
     * Draws a token.
     *
     * @param logits raw logits of the next token, one per vocabulary entry
     * @param random the generator of this sequence
     * @return the token and its log-probabilities
     * @throws IllegalStateException when a logit is NaN or infinite
     */
    Draw draw(float[] logits, SplittableRandom random) {
        double logNormalizer = logSumExp(logits);
        if (config.isGreedy()) {
            int token = argMax(logits);
            return new Draw(token, logits[token] - logNormalizer, 0.0);
        }
        int[] candidates = candidates(logits);
        double[] weights = new double[candidates.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates.length; i++) {
            weights[i] = logits[candidates[i]] / config.temperature();
            max = Math.max(max, weights[i]);
        }
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.exp(weights[i] - max);
            total += weights[i];
        }
        int kept = keptByTopP(weights, total);
        double keptTotal = 0;
        for (int i = 0; i < kept; i++) {
            keptTotal += weights[i];
        }
        int chosen = pick(weights, kept, keptTotal, random.nextDouble());
        int token = candidates[chosen];
        return new Draw(token, logits[token] - logNormalizer, Math.log(weights[chosen] / keptTotal));
    }

    /**
     * Returns the token ids that may be drawn: all ids when neither top-k nor top-p is on, else the
     * top-k ids (or all) sorted by logit, highest first, lower id first on a tie.
     */
    private int[] candidates(float[] logits) {
        boolean ranked = config.topK() > 0 || config.topP() < 1;
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (ranked) {
            Arrays.sort(order, (a, b) -> {
                int byLogit = Float.compare(logits[b], logits[a]);
                return byLogit != 0 ? byLogit : Integer.compare(a, b);
            });
        }
        int count = config.topK() > 0 ? Math.min(config.topK(), logits.length) : logits.length;
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = order[i];
        }
        return ids;
    }

    /**
     * Returns how many of the ranked weights top-p keeps: the shortest prefix whose share of
     * {@code total} reaches {@code topP}, at least one.
     */
    private int keptByTopP(double[] weights, double total) {
        if (config.topP() >= 1) {
            return weights.length;
        }
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (cumulative >= config.topP() * total) {
                return i + 1;
            }
        }
        return weights.length;
    }

    private static int pick(double[] weights, int kept, double keptTotal, double uniform) {
        double threshold = uniform * keptTotal;
        double cumulative = 0;
        for (int i = 0; i < kept; i++) {
            cumulative += weights[i];
            if (threshold < cumulative) {
                return i;
            }
        }
        // Rounding can leave the threshold just above the last cumulative sum.
        for (int i = kept - 1; i >= 0; i--) {
            if (weights[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    /** Returns the index of the largest logit, the lowest index on a tie. */
    static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Computes {@code log(sum(exp(logits)))} in double precision, rejecting NaN and infinite logits. */
    static double logSumExp(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new IllegalStateException("logit " + i + " is " + logits[i] + "; the model's output is not"
                        + " finite, so check its weights");
            }
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return max + Math.log(sum);
    }
}
