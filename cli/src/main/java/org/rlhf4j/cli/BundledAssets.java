package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the model and data sets that ship in the repository's {@code bundled/} folder. The
 * launcher passes the repository root as the system property {@code rlhf4j.home}; without it the
 * folder is searched from the working directory upwards.
 */
final class BundledAssets {

    static final String MODEL = "models/stories260K/stories260K.gguf";
    static final String INSTRUCTION_PREFERENCE = "datasets/instruction-preference/instruction-data-with-preference.json";
    static final String HH_RLHF_HARMLESS = "datasets/hh-rlhf-harmless-base/test.jsonl.gz";

    private BundledAssets() {}

    /** Returns the path of a bundled file, or fails with the folders that were searched. */
    static Path resolve(String relative) {
        Path root = root();
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Bundled file not found: " + file
                    + ". Run rlhf4j from a clone of the repository or set -Drlhf4j.home to its root.");
        }
        return file;
    }

    private static Path root() {
        String home = System.getProperty("rlhf4j.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "bundled");
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path at = dir; at != null; at = at.getParent()) {
            if (Files.isDirectory(at.resolve("bundled/models"))) {
                return at.resolve("bundled");
            }
        }
        throw new IllegalStateException("No bundled/ folder found above " + dir
                + ". Run rlhf4j from a clone of the repository or set -Drlhf4j.home to its root.");
    }
}
