package org.rlhf4j.algorithms.regression;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Output of {@link RatedEncoder#encode}: the kept examples and how many records were dropped for
 * which reason.
 *
 * @param examples the encoded examples, in input order
 * @param seen number of input records
 * @param dropped number of dropped records per reason, sorted by reason; reasons are the
 *     {@code RatedEncoder} constants
 */
public record RatedEncodeResult(List<EncodedRated> examples, long seen, Map<String, Long> dropped) {

    public RatedEncodeResult {
        examples = List.copyOf(examples);
        dropped = Collections.unmodifiableMap(new TreeMap<>(dropped));
    }

    /** Returns how many records were dropped for {@code reason}. */
    public long dropped(String reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** Returns the number of dropped records over all reasons. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
