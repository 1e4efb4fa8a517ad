package org.rlhf4j.pipeline;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcome of a {@link PolicyPipeline} run.
 *
 * @param algorithm the policy-optimizer plugin that trained the policy
 * @param metrics the run's summary, in the order it is reported: held-out reward or preference
 *     accuracy before and after, the KL to the reference, counts and seconds
 * @param steps one map of measurements per optimizer step, in step order
 * @param policyWeights the file holding the trained policy's weights, readable with
 *     {@link org.rlhf4j.models.llama.LlamaModel#loadWeights(Path)}
 * @param rewardModel the reward model that scored the samples, or null for an offline algorithm
 */
public record PolicyResult(String algorithm, Map<String, Object> metrics, List<Map<String, Object>> steps,
        Path policyWeights, Path rewardModel) {

    public PolicyResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        steps = List.copyOf(steps);
    }

    /** Returns a number of {@link #metrics()}, or NaN when the key is absent. */
    public double metric(String key) {
        Object value = metrics.get(key);
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
