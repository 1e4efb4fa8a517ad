package org.rlhf4j.algorithms.policy.online;

import java.util.List;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.models.generate.GenerationResult;

/**
 * A source of scalar rewards for sampled responses, such as a reward model or a rule.
 *
 * <p>Each sample carries its prompt ids, its response ids exactly as sampled, and whether it ended
 * with EOS or was truncated at the token limit. A source must not change the samples; one that
 * needs an EOS at the end of its input adds it to its own input only (see
 * {@link GenerationResult#sequenceWithEos(int)}).
 */
public interface RewardSource {

    /**
     * Returns the name under which this source's mean reward is logged, matching
     * {@link Plugin#NAME_PATTERN}.
     *
     * @return the name
     */
    String name();

    /**
     * Scores a batch of samples.
     *
     * @param samples the prompts and sampled responses
     * @return one finite reward per sample, in the same order
     */
    double[] score(List<GenerationResult> samples);
}
