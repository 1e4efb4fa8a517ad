package org.rlhf4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledModelsTest {

    @TempDir
    Path root;

    @Test
    void findsFileAboveStartDirectory() throws IOException {
        Path model = root.resolve("bundled").resolve(BundledModels.STORIES_260K);
        Files.createDirectories(model.getParent());
        Files.write(model, new byte[] {1});
        Path start = Files.createDirectories(root.resolve("a").resolve("b"));

        assertThat(BundledModels.find(BundledModels.STORIES_260K, start)).contains(model);
    }

    @Test
    void missingFileGivesEmpty() {
        assertThat(BundledModels.find("models/none/none.gguf", root)).isEmpty();
    }
}
