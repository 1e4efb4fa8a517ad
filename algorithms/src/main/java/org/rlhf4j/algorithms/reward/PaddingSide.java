package org.rlhf4j.algorithms.reward;

/** Position of the padding in a batch of sequences of different lengths. */
public enum PaddingSide {
    /** Padding before the tokens; every sequence ends at the last column. */
    LEFT,
    /** Padding after the tokens; every sequence starts at the first column. */
    RIGHT
}
