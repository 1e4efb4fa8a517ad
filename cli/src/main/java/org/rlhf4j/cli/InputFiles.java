package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Checks of input files given on the command line, before anything reads them. */
final class InputFiles {

    private InputFiles() {}

    /**
     * Fails unless {@code file} is a readable regular file.
     *
     * @param flag the option that named the file, for the message
     * @param file the file
     * @throws NoSuchFileException when the file does not exist, which the command reports by name
     * @throws IllegalArgumentException when the path is a folder or cannot be read
     */
    static void requireReadable(String flag, Path file) throws NoSuchFileException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(flag + " " + file + " is a folder; expected a data file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(flag + " " + file + " cannot be read; check its permissions");
        }
    }
}
