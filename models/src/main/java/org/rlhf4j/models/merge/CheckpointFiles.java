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
import org.rlhf4j.models.io.DurableFiles;

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
        return DurableFiles.sha256(file);
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
}
