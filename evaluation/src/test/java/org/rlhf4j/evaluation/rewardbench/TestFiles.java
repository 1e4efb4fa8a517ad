package org.rlhf4j.evaluation.rewardbench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Helpers that write test files and find the repository's shared data directory. */
public final class TestFiles {

    private TestFiles() {
    }

    /** Writes {@code text} as UTF-8 to {@code dir/name}. */
    public static Path write(Path dir, String name, String text) {
        return writeBytes(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes raw bytes to {@code dir/name}. */
    public static Path writeBytes(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns {@code shared/data/<relative>}, found by walking up from the working directory to the
     * first directory that contains {@code shared/data}; skips the test when there is none.
     */
    public static Path requireSharedData(String relative) {
        Optional<Path> data = findSharedData();
        assumeTrue(data.isPresent(), "No shared/data directory above " + Path.of("").toAbsolutePath()
                + "; skipping the test that reads real data");
        Path path = data.get().resolve(relative);
        assumeTrue(Files.exists(path), path + " does not exist; skipping the test that reads it");
        return path;
    }

    private static Optional<Path> findSharedData() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
