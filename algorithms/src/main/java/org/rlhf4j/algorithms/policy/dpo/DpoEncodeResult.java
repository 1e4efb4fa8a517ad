package org.rlhf4j.algorithms.policy.dpo;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Output of {@link DpoEncoder#encode}: the kept examples and how many pairs were dropped for which
 * reason.
 *
 * @param examples the encoded examples, in input order
 * @param seen number of input pairs
 * @param dropped number of dropped pairs per reason, sorted by reason; the reasons are the
 *     {@link org.rlhf4j.algorithms.reward.PairEncoder} constants
 */
public record DpoEncodeResult(List<DpoExample> examples, long seen, Map<String, Long> dropped) {

    public DpoEncodeResult {
        examples = List.copyOf(examples);
        dropped = Collections.unmodifiableMap(new TreeMap<>(dropped));
    }

    /** Returns how many pairs were dropped for {@code reason}. */
    public long dropped(String reason) {
        return dropped.getOrDefault(reason, 0L);
    }
}
