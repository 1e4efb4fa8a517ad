package org.rlhf4j.algorithms.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Signals that a checkpoint file is missing, truncated, fails its SHA-256 check or cannot be
 * parsed. The message names the file and the mismatch.
 */
public final class CorruptCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file the file that failed the check
     * @param problem what is wrong with it, as a sentence fragment after the file name
     */
    public CorruptCheckpointException(Path file, String problem) {
        super("Checkpoint file " + Objects.requireNonNull(file, "file") + " " + problem);
        this.file = file;
    }

    /** Returns the file that failed the check. */
    public Path file() {
        return file;
    }
}
