package org.rlhf4j.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Locates the stories260K model for tests. */
public final class TestModels {

    private static final String SHARED_COPY = "shared/data/tinyllamas_stories260K/stories260K.gguf";

    private TestModels() {
    }

    /**
     * Returns the stories260K GGUF file from the repository's {@code bundled/} directory or a
     * {@code shared/data} directory above the working directory, skipping the test when neither exists.
     */
    public static Path stories260K() {
        Optional<Path> file = BundledModels.stories260K().or(TestModels::sharedCopy);
        Assumptions.assumeTrue(file.isPresent(), "stories260K.gguf not found under bundled/"
                + BundledModels.STORIES_260K + " or " + SHARED_COPY + " above " + Path.of("").toAbsolutePath());
        return file.get();
    }

    private static Optional<Path> sharedCopy() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(SHARED_COPY);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }
}
