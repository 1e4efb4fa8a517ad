package org.rlhf4j.api.data;

/**
 * How a reader treats bad records, ties and very long lines.
 *
 * @param onError what to do with a malformed record
 * @param keepTies whether preference rows with strength 0 are kept (as magnitude-1 pairs favouring
 *     the second response); by default they are dropped and counted, because a tie carries no
 *     preference
 * @param maxLineChars lines longer than this many characters are rejected as malformed without
 *     being parsed, which bounds memory use
 */
public record ReadOptions(OnError onError, boolean keepTies, int maxLineChars) {

    /** Default limit on the length of one line: 16 Mi characters. */
    public static final int DEFAULT_MAX_LINE_CHARS = 16 * 1024 * 1024;

    /** What a reader does with a malformed record. */
    public enum OnError {
        /** Throw {@link DataFormatException} at the first bad record. */
        FAIL,
        /** Skip the record, count it and log it. */
        SKIP
    }

    public ReadOptions {
        if (onError == null) {
            throw new IllegalArgumentException("onError must not be null");
        }
        if (maxLineChars <= 0) {
            throw new IllegalArgumentException("maxLineChars must be positive, got " + maxLineChars);
        }
    }

    /** Returns options that fail on the first bad record and drop ties. */
    public static ReadOptions strict() {
        return new ReadOptions(OnError.FAIL, false, DEFAULT_MAX_LINE_CHARS);
    }

    /** Returns options that skip and count bad records and drop ties. */
    public static ReadOptions lenient() {
        return new ReadOptions(OnError.SKIP, false, DEFAULT_MAX_LINE_CHARS);
    }

    /** Returns a copy with ties kept or dropped. */
    public ReadOptions withKeepTies(boolean keep) {
        return new ReadOptions(onError, keep, maxLineChars);
    }

    /** Returns a copy with another line length limit. */
    public ReadOptions withMaxLineChars(int limit) {
        return new ReadOptions(onError, keepTies, limit);
    }
}
