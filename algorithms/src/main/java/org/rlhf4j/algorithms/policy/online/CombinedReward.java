package org.rlhf4j.algorithms.policy.online;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.models.generate.GenerationResult;

/**
 * The reward that trains a policy: the weighted sum of one or more {@link RewardSource}s. Each
 * source's own rewards are kept in the {@link RewardBreakdown} so they can be logged separately.
 */
public final class CombinedReward {

    private final List<WeightedReward> sources;

    private CombinedReward(List<WeightedReward> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("at least one reward source is needed");
        }
        Set<String> names = new HashSet<>();
        for (WeightedReward weighted : sources) {
            String name = weighted.source().name();
            if (name == null || !name.matches(Plugin.NAME_PATTERN)) {
                throw new IllegalArgumentException("reward source name '" + name + "' must match "
                        + Plugin.NAME_PATTERN);
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("two reward sources are named '" + name
                        + "'; give each source its own name so it can be logged separately");
            }
        }
        this.sources = List.copyOf(sources);
    }

    /**
     * Combines weighted sources.
     *
     * @param sources the sources and their weights, with distinct names; at least one
     * @return the combined reward
     * @throws IllegalArgumentException when the list is empty or two sources share a name
     */
    public static CombinedReward of(List<WeightedReward> sources) {
        return new CombinedReward(sources);
    }

    /**
     * Uses one source with weight 1.
     *
     * @param source the source
     * @return the combined reward
     */
    public static CombinedReward of(RewardSource source) {
        return new CombinedReward(List.of(new WeightedReward(source, 1.0)));
    }

    /** Returns the sources and their weights, in order. */
    public List<WeightedReward> sources() {
        return sources;
    }

    /**
     * Scores samples with every source and sums the weighted rewards.
     *
     * @param samples the samples
     * @return the weighted sums and each source's rewards
     * @throws IllegalStateException when a source returns the wrong number of rewards
     */
    public RewardBreakdown score(List<GenerationResult> samples) {
        double[] total = new double[samples.size()];
        Map<String, double[]> bySource = new LinkedHashMap<>();
        for (WeightedReward weighted : sources) {
            RewardSource source = weighted.source();
            double[] rewards = source.score(samples);
            if (rewards.length != samples.size()) {
                throw new IllegalStateException("reward source '" + source.name() + "' returned " + rewards.length
                        + " rewards for " + samples.size() + " samples");
            }
            for (int i = 0; i < total.length; i++) {
                total[i] += weighted.weight() * rewards[i];
            }
            bySource.put(source.name(), rewards);
        }
        return new RewardBreakdown(total, bySource);
    }
}
