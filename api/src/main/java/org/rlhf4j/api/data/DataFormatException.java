package org.rlhf4j.api.data;

import java.nio.file.Path;

/**
 * A record that does not have the form a reader expects. The message names the file, the 1-based
 * line (or array element) number, the field and the expected form.
 */
public class DataFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String field;

    /**
     * Creates an exception for one bad record.
     *
     * @param file the file being read
     * @param line 1-based line number, or element number for JSON arrays
     * @param field the offending field, or null when the whole record is malformed
     * @param problem what is wrong and what was expected
     */
    public DataFormatException(Path file, long line, String field, String problem) {
        super(file + ":" + line + (field == null ? "" : ": field '" + field + "'") + ": " + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    /** Returns the file that holds the bad record. */
    public Path file() {
        return file;
    }

    /** Returns the 1-based line or element number of the bad record. */
    public long line() {
        return line;
    }

    /** Returns the offending field, or null when the whole record is malformed. */
    public String field() {
        return field;
    }
}
