package org.rlhf4j.data.internal;

import java.util.Objects;

/**
 * The result of mapping one valid JSON object: a record for the caller, or the reason it was
 * dropped.
 *
 * @param <T> the record type
 * @param record the record, or null when dropped
 * @param dropReason the drop reason key, or null when kept
 */
public record Outcome<T>(T record, String dropReason) {

    /** Creates an outcome that hands {@code record} to the caller. */
    public static <T> Outcome<T> keep(T record) {
        return new Outcome<>(Objects.requireNonNull(record, "record"), null);
    }

    /** Creates an outcome that drops the record and counts it under {@code reason}. */
    public static <T> Outcome<T> drop(String reason) {
        return new Outcome<>(null, Objects.requireNonNull(reason, "reason"));
    }

    /** Tells whether the record goes to the caller. */
    public boolean kept() {
        return record != null;
    }
}
