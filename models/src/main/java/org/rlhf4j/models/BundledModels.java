package org.rlhf4j.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the model files that ship in the repository's {@code bundled/} directory.
 *
 * <p>The directory is {@code -Drlhf4j.bundled.dir} when that system property is set, or else the
 * first {@code bundled/} directory found by walking up from the working directory.
 */
public final class BundledModels {

    /** The system property that names the bundled directory explicitly. */
    public static final String BUNDLED_DIR_PROPERTY = "rlhf4j.bundled.dir";
    /** Path of the stories260K Llama model (MIT, llama2.c tinyllamas) inside the bundled directory. */
    public static final String STORIES_260K = "models/stories260K/stories260K.gguf";

    private BundledModels() {
    }

    /**
     * Finds the stories260K GGUF file.
     *
     * @return the file, or empty when no bundled directory contains it
     */
    public static Optional<Path> stories260K() {
        return find(STORIES_260K);
    }

    /**
     * Finds a file inside the bundled directory.
     *
     * @param relativePath the path inside {@code bundled/}, such as {@link #STORIES_260K}
     * @return the file, or empty when it is not found
     */
    public static Optional<Path> find(String relativePath) {
        String configured = System.getProperty(BUNDLED_DIR_PROPERTY);
        if (configured != null) {
            Path file = Path.of(configured).resolve(relativePath);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        }
        return find(relativePath, Path.of("").toAbsolutePath());
    }

    /**
     * Finds a file inside the first {@code bundled/} directory at or above a start directory.
     *
     * @param relativePath the path inside {@code bundled/}
     * @param start the directory to start from
     * @return the file, or empty when no directory on the way up contains it
     */
    public static Optional<Path> find(String relativePath, Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("bundled").resolve(relativePath);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
