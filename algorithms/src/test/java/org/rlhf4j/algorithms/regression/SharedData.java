package org.rlhf4j.algorithms.regression;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the repository's real data files by walking up from the working directory. */
final class SharedData {

    static final String HELPSTEER2_CARD_RATINGS = "shared/data/helpsteer2_card_examples/ratings_example.jsonl";
    static final String OASST2_TREES = "shared/data/oasst2_open_paws_trees/oasst2_filtered.jsonl.gz";

    private SharedData() {
    }

    /**
     * Returns {@code relative} below the nearest ancestor of the working directory that has it, and
     * skips the test when none has it.
     *
     * @param relative a path such as {@code "shared/data/..."}
     * @return the file
     */
    static Path require(String relative) {
        Optional<Path> found = Optional.empty();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && found.isEmpty(); dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                found = Optional.of(candidate);
            }
        }
        assumeTrue(found.isPresent(), "Data file " + relative + " not found above " + Path.of("").toAbsolutePath()
                + "; skipping the test that reads it");
        return found.get();
    }
}
