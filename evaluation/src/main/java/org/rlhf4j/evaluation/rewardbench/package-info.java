/**
 * RewardBench (v1) scoring: {@link org.rlhf4j.evaluation.rewardbench.ScoreReader} reads per-pair
 * scores, {@link org.rlhf4j.evaluation.rewardbench.RewardBenchResult} computes strict per-subset
 * accuracy, example-count-weighted section scores and the unweighted Overall, and
 * {@link org.rlhf4j.evaluation.rewardbench.RewardBenchReport} prints one or more results as JSON or
 * as a Markdown table. {@link org.rlhf4j.evaluation.rewardbench.LlmBarConverter} turns the LLMBar
 * files into the RewardBench "Chat Hard" subsets built from them.
 */
package org.rlhf4j.evaluation.rewardbench;
