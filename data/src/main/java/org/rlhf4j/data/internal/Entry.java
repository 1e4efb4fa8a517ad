package org.rlhf4j.data.internal;

/** One unit read from a file before mapping: a parsed object, a blank line, a bad record or the end. */
public interface Entry {

    /** The end of the input. */
    Entry END = new Entry() {
        @Override
        public String toString() {
            return "END";
        }
    };

    /** A blank or whitespace-only line. */
    Entry BLANK = new Entry() {
        @Override
        public String toString() {
            return "BLANK";
        }
    };

    /**
     * A syntactically valid JSON object.
     *
     * @param number 1-based line or element number
     * @param record the parsed object
     */
    record Parsed(long number, JsonRecord record) implements Entry {
    }

    /**
     * A record that cannot be parsed.
     *
     * @param number 1-based line or element number
     * @param reason drop reason key
     * @param field offending field, or null for the whole record
     * @param problem what is wrong and what was expected
     * @param fatal whether the rest of the file cannot be read after this record
     */
    record Bad(long number, String reason, String field, String problem, boolean fatal) implements Entry {
    }
}
