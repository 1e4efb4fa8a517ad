package org.rlhf4j.evaluation.rewardbench;

/**
 * The strict accuracy of a reward model on one subset: a pair is correct only when the chosen
 * response scores strictly higher, so ties count as misses.
 *
 * @param subset the subset name
 * @param pairs the number of scored pairs, at least 1
 * @param correct the number of pairs with {@code scoreChosen > scoreRejected}
 * @param ties the number of pairs with equal scores, all counted as misses
 */
public record SubsetScore(String subset, int pairs, int correct, int ties) {

    public SubsetScore {
        if (subset == null || subset.isBlank()) {
            throw new IllegalArgumentException("subset must be non-blank, got " + subset);
        }
        if (pairs <= 0) {
            throw new IllegalArgumentException("pairs of subset '" + subset + "' must be positive, got " + pairs);
        }
        if (correct < 0 || correct > pairs) {
            throw new IllegalArgumentException("correct of subset '" + subset + "' must be in [0, " + pairs
                    + "], got " + correct);
        }
        if (ties < 0 || ties > pairs - correct) {
            throw new IllegalArgumentException("ties of subset '" + subset + "' must be in [0, " + (pairs - correct)
                    + "], got " + ties);
        }
    }

    /** Returns the share of correct pairs, from 0 to 1. */
    public double accuracy() {
        return (double) correct / pairs;
    }
}
