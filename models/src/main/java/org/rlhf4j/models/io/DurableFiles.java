package org.rlhf4j.models.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File operations that make saved models and checkpoints durable: SHA-256 checksums, fsync, and
 * placing a finished directory with atomic renames so that a reader sees the old or the new
 * directory, never a partial one.
 */
public final class DurableFiles {

    private DurableFiles() {}

    /** Returns a new SHA-256 digest. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    /** Returns the lowercase hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Returns the lowercase hex SHA-256 of bytes. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /** Writes UTF-8 text to a new file and flushes it to disk. Fails when the file exists. */
    public static void writeDurably(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        fsync(file);
    }

    /**
     * Flushes a file or directory to disk. Some platforms cannot open a directory for reading, and
     * a failure there is ignored because the rename that follows is still atomic.
     */
    public static void fsync(Path path) throws IOException {
        boolean directory = Files.isDirectory(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
        }
    }

    /**
     * Moves a complete directory to its target in the same parent folder. An existing target is
     * renamed aside first and deleted only after the new directory is in place.
     *
     * @param complete the finished directory, on the same file system as {@code target}
     * @param target the directory to create or replace
     * @throws IOException when the target exists and is not a directory, or when the file system
     *     cannot rename atomically
     */
    public static void replaceDirectory(Path complete, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new IOException("Cannot replace " + target + " because it exists and is not a directory");
        }
        if (Files.exists(target)) {
            Path old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
            Files.delete(old);
            // NOTE: a crash between these two renames leaves no directory at the target. The
            // replaced directory is then still complete under the ".old-" name beside it.
            atomicMove(target, old);
            atomicMove(complete, target);
            fsync(parent);
            deleteRecursively(old);
            return;
        }
        atomicMove(complete, target);
        fsync(parent);
    }

    private static void atomicMove(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("Cannot rename " + source + " to " + target + " atomically. The folder must be "
                    + "on a file system that supports atomic renames", e);
        }
    }

    /** Deletes a directory tree, or a single file, if it exists. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
                if (error != null) {
                    throw error;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
