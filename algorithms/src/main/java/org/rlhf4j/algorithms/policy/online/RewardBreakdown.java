package org.rlhf4j.algorithms.policy.online;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewards of a batch of samples: the weighted sum that trains the policy and each source's own
 * (unweighted) rewards.
 *
 * @param total the weighted sum per sample
 * @param bySource each source's rewards per sample, by source name, in the order the sources were given
 */
public record RewardBreakdown(double[] total, Map<String, double[]> bySource) {

    public RewardBreakdown {
        total = total.clone();
        Map<String, double[]> copy = new LinkedHashMap<>();
        bySource.forEach((name, values) -> copy.put(name, values.clone()));
        bySource = Collections.unmodifiableMap(copy);
    }

    /** Returns the mean of the weighted sum over the samples. */
    public double mean() {
        return Arrays.stream(total).average().orElse(Double.NaN);
    }

    /** Returns the mean of each source's rewards over the samples, by source name. */
    public Map<String, Double> sourceMeans() {
        Map<String, Double> means = new LinkedHashMap<>();
        bySource.forEach((name, values) -> means.put(name, Arrays.stream(values).average().orElse(Double.NaN)));
        return Collections.unmodifiableMap(means);
    }
}
