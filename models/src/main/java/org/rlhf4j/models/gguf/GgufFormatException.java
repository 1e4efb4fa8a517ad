package org.rlhf4j.models.gguf;

import java.io.IOException;
import java.nio.file.Path;

/** Signals a GGUF file that is malformed, truncated or uses a feature this reader does not support. */
public class GgufFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates an exception whose message starts with the file name.
     *
     * @param file the GGUF file
     * @param problem what is wrong with it
     */
    public GgufFormatException(Path file, String problem) {
        super("GGUF file " + file + ": " + problem);
        this.file = file;
    }

    /** Returns the file that failed to parse. */
    public Path file() {
        return file;
    }
}
