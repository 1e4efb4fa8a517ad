package org.rlhf4j.api.data;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of one reader: lines (or array elements) read, blank lines, records kept, and records
 * dropped per reason. Reasons are short lowercase keys such as {@code "tie"},
 * {@code "identical"} or {@code "malformed"}.
 */
public final class ReadStats {

    private long read;
    private long blank;
    private long kept;
    private final Map<String, Long> dropped = new TreeMap<>();

    /** Counts one line or element read from the source, blank or not. */
    public void countRead() {
        read++;
    }

    /** Counts one blank line. */
    public void countBlank() {
        blank++;
    }

    /** Counts one record handed to the caller. */
    public void countKept() {
        kept++;
    }

    /** Counts one record dropped for {@code reason}. */
    public void countDropped(String reason) {
        dropped.merge(reason, 1L, Long::sum);
    }

    /** Returns the number of lines or elements read. */
    public long read() {
        return read;
    }

    /** Returns the number of blank lines. */
    public long blank() {
        return blank;
    }

    /** Returns the number of records handed to the caller. */
    public long kept() {
        return kept;
    }

    /** Returns how many records were dropped for {@code reason}. */
    public long dropped(String reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** Returns the dropped counts per reason, sorted by reason. */
    public Map<String, Long> droppedByReason() {
        return Collections.unmodifiableMap(dropped);
    }

    @Override
    public String toString() {
        return "read=" + read + " kept=" + kept + " blank=" + blank + " dropped=" + dropped;
    }
}
