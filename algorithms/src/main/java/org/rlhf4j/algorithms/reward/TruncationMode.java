package org.rlhf4j.algorithms.reward;

/** Handling of sequences longer than the maximum length of a {@link PairEncoder}. */
public enum TruncationMode {
    /** Drops the whole pair and counts it as {@value PairEncoder#DROPPED_OVERLENGTH}. */
    FILTER,
    /**
     * Shortens the sequence and keeps the pair: the BOS and the final EOS stay, tokens are cut from
     * the start of the prompt first, then from the end of the response text, then from the
     * template's closing marker.
     */
    TRUNCATE
}
