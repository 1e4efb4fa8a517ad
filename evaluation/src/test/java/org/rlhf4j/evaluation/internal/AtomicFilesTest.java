package org.rlhf4j.evaluation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesContentAndCreatesParents() throws IOException {
        Path target = dir.resolve("a/b/out.txt");

        AtomicFiles.writeString(target, "h\u00e9llo");

        assertThat(Files.readAllBytes(target)).isEqualTo("h\u00e9llo".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void replacesExistingFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old content that is longer");

        AtomicFiles.writeString(target, "new");

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(names()).containsExactly("out.txt");
    }

    @Test
    void failedWriteKeepsTargetAndRemovesTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(names()).containsExactly("out.txt");
    }

    private Stream<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).toList().stream();
        }
    }
}
