package org.rlhf4j.evaluation.rewardbench;

import java.util.Objects;

/**
 * One preference pair in the RewardBench row layout: a single-turn prompt and two responses.
 *
 * @param id the pair's identifier
 * @param subset the RewardBench subset
 * @param prompt the user prompt
 * @param chosen the preferred response
 * @param rejected the other response
 */
public record RewardBenchPair(String id, String subset, String prompt, String chosen, String rejected) {

    public RewardBenchPair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subset, "subset");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
    }
}
