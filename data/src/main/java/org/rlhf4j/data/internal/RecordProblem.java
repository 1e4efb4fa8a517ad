package org.rlhf4j.data.internal;

/**
 * A record that does not have the expected form. The reader turns it into a
 * {@link org.rlhf4j.api.data.DataFormatException} that adds the file and line.
 */
public final class RecordProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Creates a problem with one field or with the whole record.
     *
     * @param field the offending top-level field, or null when the whole record is malformed
     * @param message what is wrong and what was expected
     */
    public RecordProblem(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** Returns the offending top-level field, or null when the whole record is malformed. */
    public String field() {
        return field;
    }
}
