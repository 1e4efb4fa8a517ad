package org.rlhf4j.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordReader;

/** Helpers that write test files and find the real data files of the repository. */
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

    /** Returns {@code text} in UTF-8, gzip-compressed. */
    public static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Returns the path of a test resource next to {@code anchor}'s package. */
    public static Path resource(Class<?> anchor, String name) {
        URL url = anchor.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " not found next to " + anchor.getName());
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns a real data file, found by walking up from the working directory until
     * {@code relative} exists below one of its ancestors; skips the test when none has it.
     *
     * @param relative a path such as {@code "bundled/datasets/..."} or {@code "shared/data/..."}
     */
    public static Path requireDataFile(String relative) {
        Optional<Path> found = findUp(relative);
        assumeTrue(found.isPresent(), "Data file " + relative + " not found above " + workingDirectory()
                + "; skipping the test that reads it");
        return found.get();
    }

    /** Returns {@code relative} resolved against the nearest ancestor of the working directory that has it. */
    public static Optional<Path> findUp(String relative) {
        for (Path dir = workingDirectory(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Opens {@code file} with {@code source}, reads every record and returns the closed reader's records. */
    public static <T> List<T> readAll(DataSource<T> source, Path file, ReadOptions options) throws IOException {
        return source.open(file, options).readAll();
    }

    /** Opens {@code file}, reads every record and returns the closed reader, for its stats. */
    public static <T> RecordReader<T> drain(DataSource<T> source, Path file, ReadOptions options)
            throws IOException {
        RecordReader<T> reader = source.open(file, options);
        reader.readAll();
        return reader;
    }

    private static Path workingDirectory() {
        return Path.of("").toAbsolutePath();
    }
}
