package org.rlhf4j.algorithms.reward;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Output of {@link PairEncoder#encode}: the kept pairs and how many were dropped for which reason.
 *
 * @param pairs the encoded pairs, in input order
 * @param seen number of input pairs
 * @param dropped number of dropped pairs per reason, sorted by reason; reasons are the
 *     {@code PairEncoder} constants
 */
public record EncodeResult(List<EncodedPair> pairs, long seen, Map<String, Long> dropped) {

    public EncodeResult {
        pairs = List.copyOf(pairs);
        dropped = Collections.unmodifiableMap(new TreeMap<>(dropped));
    }

    /** Returns how many pairs were dropped for {@code reason}. */
    public long dropped(String reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** Returns the number of dropped pairs over all reasons. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
