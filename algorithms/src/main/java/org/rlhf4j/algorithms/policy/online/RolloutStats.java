package org.rlhf4j.algorithms.policy.online;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summary of a batch of sampled responses: their rewards, their KL to the reference and their shape.
 *
 * @param samples the number of responses
 * @param rewardMean mean of the weighted reward sum that trains the policy
 * @param sourceMeans mean unweighted reward of each source, by source name, in the order the sources
 *     were given
 * @param kl the KL to the reference, measured with the run's penalty estimator
 * @param endedFraction fraction of responses that ended with EOS
 * @param meanResponseLength mean number of response tokens
 */
public record RolloutStats(int samples, double rewardMean, Map<String, Double> sourceMeans, KlMeasurement kl,
        double endedFraction, double meanResponseLength) {

    public RolloutStats {
        sourceMeans = Collections.unmodifiableMap(new LinkedHashMap<>(sourceMeans));
    }
}
