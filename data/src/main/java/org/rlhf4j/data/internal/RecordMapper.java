package org.rlhf4j.data.internal;

/**
 * Turns one parsed JSON object into a record of one file format.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface RecordMapper<T> {

    /**
     * Maps one object.
     *
     * @param record the parsed object
     * @param number its 1-based line or element number
     * @return the record, or the reason to drop it
     * @throws RecordProblem when a field is missing or has the wrong form
     */
    Outcome<T> map(JsonRecord record, long number);
}
