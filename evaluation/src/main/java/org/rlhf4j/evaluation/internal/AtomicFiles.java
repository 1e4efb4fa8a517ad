package org.rlhf4j.evaluation.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files so that readers see either the old content or the complete new content: the bytes
 * go to a temporary file in the target's directory, which is flushed to disk and then renamed over
 * the target.
 */
public final class AtomicFiles {

    private static final Logger logger = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {
    }

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {

        /**
         * Writes the content.
         *
         * @param out the stream; the caller closes it
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code text} as UTF-8 to {@code target}, atomically.
     *
     * @param target the file to create or replace
     * @param text the text
     * @throws IOException when the file cannot be written; the target is then unchanged
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes {@code content} to {@code target}, atomically. Missing parent directories are created.
     *
     * @param target the file to create or replace
     * @param content writes the bytes
     * @throws IOException when the file cannot be written; the target is then unchanged and the
     *     temporary file is deleted
     */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temp = directory.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            writeAndSync(temp, content);
            move(temp, absolute);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void writeAndSync(Path temp, Content content) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
            content.writeTo(out);
            out.flush();
            channel.force(true);
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            logger.warn("File system of {} cannot rename atomically; replacing the file non-atomically", target);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
