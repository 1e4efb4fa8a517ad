package org.rlhf4j.algorithms.eval;

/**
 * Pairwise results of one benchmark subset.
 *
 * @param pairs number of pairs in the subset
 * @param correct pairs whose chosen score is strictly above the rejected score
 * @param ties pairs whose two scores are equal
 * @param accuracy {@code correct / pairs}
 */
public record SubsetReport(int pairs, int correct, int ties, double accuracy) {}
