package org.rlhf4j.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.algorithms.policy.online.RewardModelSource;
import org.rlhf4j.algorithms.policy.online.RewardSource;
import org.rlhf4j.models.generate.GenerationResult;

/**
 * Scores samples with a reward model that was trained on responses closed by its tokenizer's EOS,
 * while the policy stops at another token (the bundled stories model stops at "."). The reward
 * model then reads every sample as prompt, response and EOS, the input it was trained on: each
 * sample is handed to the {@link RewardModelSource} as one cut at the token limit, which makes it
 * append the EOS. The samples the trainer keeps are not changed.
 */
final class EndOfSequenceReward implements RewardSource {

    private final RewardModelSource source;

    EndOfSequenceReward(RewardModelSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public double[] score(List<GenerationResult> samples) {
        List<GenerationResult> open = new ArrayList<>(samples.size());
        for (GenerationResult sample : samples) {
            open.add(sample.truncated() ? sample : new GenerationResult(sample.promptIds(), sample.responseIds(),
                    sample.logProbs(), sample.samplingLogProbs(), false, true, new float[0][]));
        }
        return source.score(open);
    }
}
