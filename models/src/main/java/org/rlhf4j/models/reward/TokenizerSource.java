package org.rlhf4j.models.reward;

import java.util.Objects;

/**
 * Origin of a model's tokenizer vocabulary.
 *
 * @param fileName the name of the GGUF file the vocabulary was read from, without directories
 * @param sha256 the lowercase hex SHA-256 of that file
 */
public record TokenizerSource(String fileName, String sha256) {

    public TokenizerSource {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(sha256, "sha256");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits but is '" + sha256 + "'");
        }
    }
}
