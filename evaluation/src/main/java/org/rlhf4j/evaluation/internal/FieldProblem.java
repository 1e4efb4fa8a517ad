package org.rlhf4j.evaluation.internal;

/**
 * A JSON value that does not have the expected form. Readers add the file and the line or element
 * number and rethrow it as {@link org.rlhf4j.api.data.DataFormatException}.
 */
public final class FieldProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Creates a problem with one field or with the whole record.
     *
     * @param field the offending field, or null when the whole record is malformed
     * @param message what is wrong and what was expected
     */
    public FieldProblem(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** Returns the offending field, or null when the whole record is malformed. */
    public String field() {
        return field;
    }
}
