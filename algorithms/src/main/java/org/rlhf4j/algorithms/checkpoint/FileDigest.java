package org.rlhf4j.algorithms.checkpoint;

import java.util.Locale;

/**
 * Size and checksum of one checkpoint file, as recorded in the manifest.
 *
 * @param bytes file size in bytes, at least 0
 * @param sha256 lowercase hex SHA-256 of the file's content
 */
public record FileDigest(long bytes, String sha256) {

    public FileDigest {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits, got " + sha256);
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }
}
