package org.rlhf4j.models.merge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
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
 * File names of a saved reward model and the file operations that place a finished checkpoint
 * directory safely. The names follow the layout that {@code LlamaRewardModel.save} writes.
 */
final class CheckpointFiles {

    static final String MODEL_FILE = "model.json";
    static final String TOKENIZER_FILE = "tokenizer.json";
    static final String WEIGHTS_FILE = "weights.safetensors";

    private CheckpointFiles() {
    }

    /** Returns the lowercase hex SHA-256 of a file. */
    static String sha256(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("file " + file + " is missing, so " + file.getParent()
                    + " is not a complete saved reward model");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Flushes a file or directory to disk. Directories cannot be opened on some platforms, which is ignored. */
    static void fsync(Path path) throws IOException {
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
     * Rejects a target that exists but is neither an empty directory nor a saved reward model, so
     * that replacing it cannot delete unrelated files.
     */
    static void requireReplaceable(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IOException("cannot write a model to " + target + " because it exists and is not a directory");
        }
        boolean empty;
        try (var entries = Files.list(target)) {
            empty = entries.findAny().isEmpty();
        }
        if (!empty && !Files.isRegularFile(target.resolve(MODEL_FILE))) {
            throw new IOException("cannot write a model to " + target + " because it is a non-empty directory without "
                    + MODEL_FILE + ". Choose a new directory, or an existing saved model to replace");
        }
    }

    /**
     * Moves a complete checkpoint directory to its target on the same file system. An existing
     * target is first renamed aside and deleted only after the new directory is in place.
     */
    static void replaceDirectory(Path complete, Path target) throws IOException {
        Path parent = target.getParent();
        if (!Files.exists(target)) {
            Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
            fsync(parent);
            return;
        }
        Path old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
        Files.delete(old);
        // NOTE: a crash between these two renames leaves no directory at the target. The previous
        // checkpoint is then still complete under the ".old-" name beside it.
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
        fsync(parent);
        deleteRecursively(old);
    }

    /** Deletes a directory tree, or a single file, if it exists. */
    static void deleteRecursively(Path root) throws IOException {
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
