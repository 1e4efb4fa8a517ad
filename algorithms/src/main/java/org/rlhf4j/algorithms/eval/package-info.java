/** Evaluation of reward models on preference pairs: strict pairwise accuracy, ties and margins. */
package org.rlhf4j.algorithms.eval;
