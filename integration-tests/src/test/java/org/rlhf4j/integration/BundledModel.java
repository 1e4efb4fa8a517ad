package org.rlhf4j.integration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the model that ships in the repository's {@code bundled/} folder. */
final class BundledModel {

    private static final String STORIES = "bundled/models/stories260K/stories260K.gguf";

    private BundledModel() {}

    /** Returns the stories260K GGUF file, or skips the test when no folder above contains it. */
    static Path stories260k() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(STORIES);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        assumeTrue(false, "No " + STORIES + " above " + Path.of("").toAbsolutePath());
        throw new IllegalStateException("unreachable");
    }
}
