package org.rlhf4j.algorithms.policy.online;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Maps a training step to its prompts. The prompts are shuffled once per epoch with a seed of
 * {@code seed + epoch}, and step {@code k} (1-based) takes positions
 * {@code (k - 1) * perStep} to {@code k * perStep - 1} of the endless sequence of epochs, so the
 * mapping does not depend on where a run started.
 */
final class PromptPlan {

    private final List<int[]> prompts;
    private final int perStep;
    private final long seed;
    private long cachedEpoch = -1;
    private List<Integer> order = List.of();

    PromptPlan(List<int[]> prompts, int perStep, long seed) {
        this.prompts = List.copyOf(prompts);
        this.perStep = perStep;
        this.seed = seed;
    }

    List<int[]> prompts(long step) {
        List<int[]> selected = new ArrayList<>(perStep);
        long first = (step - 1) * perStep;
        for (long position = first; position < first + perStep; position++) {
            selected.add(prompts.get(orderOf(position / prompts.size()).get((int) (position % prompts.size()))));
        }
        return selected;
    }

    private List<Integer> orderOf(long epoch) {
        if (epoch != cachedEpoch) {
            List<Integer> shuffled = new ArrayList<>(prompts.size());
            for (int i = 0; i < prompts.size(); i++) {
                shuffled.add(i);
            }
            Collections.shuffle(shuffled, new Random(seed + epoch));
            order = shuffled;
            cachedEpoch = epoch;
        }
        return order;
    }
}
