package org.rlhf4j.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;

/**
 * Fingerprints of tokenizer vocabularies, used in {@link CacheKey}s so that a cache entry is only
 * reused with a tokenizer that produces the same ids.
 */
public final class TokenizerFingerprint {

    /** Prefix of the fingerprints that {@link #of(SentencePieceTokenizer)} returns. */
    public static final String SENTENCEPIECE_PREFIX = "sentencepiece-sha256:";

    private TokenizerFingerprint() {
    }

    /**
     * Computes the fingerprint of a SentencePiece vocabulary: {@value #SENTENCEPIECE_PREFIX} followed by
     * the lowercase hex SHA-256 of its contents.
     *
     * <p>The digest covers, in this order and big-endian: the vocabulary size (int32), then for each id
     * the UTF-8 length of its piece (int32), the piece bytes, its score (float32 bits) and its
     * {@link org.rlhf4j.models.tokenizer.TokenType} code (int32), and at the end the BOS, EOS and
     * unknown ids (int32 each) and the dummy-prefix flag (one byte, 1 for true). These are all the
     * inputs of {@link SentencePieceTokenizer#encode(String)}.
     *
     * @param tokenizer the tokenizer
     * @return the fingerprint
     */
    public static String of(SentencePieceTokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        List<String> pieces = tokenizer.pieces();
        float[] scores = tokenizer.scores();
        MessageDigest digest = Sha256.newDigest();
        ByteBuffer number = ByteBuffer.allocate(Integer.BYTES);
        updateInt(digest, number, pieces.size());
        for (int id = 0; id < pieces.size(); id++) {
            byte[] piece = pieces.get(id).getBytes(StandardCharsets.UTF_8);
            updateInt(digest, number, piece.length);
            digest.update(piece);
            updateInt(digest, number, Float.floatToIntBits(scores[id]));
            updateInt(digest, number, tokenizer.type(id).code());
        }
        updateInt(digest, number, tokenizer.bosId());
        updateInt(digest, number, tokenizer.eosId());
        updateInt(digest, number, tokenizer.unkId());
        digest.update((byte) (tokenizer.addSpacePrefix() ? 1 : 0));
        return SENTENCEPIECE_PREFIX + Sha256.hex(digest);
    }

    private static void updateInt(MessageDigest digest, ByteBuffer buffer, int value) {
        buffer.clear();
        buffer.putInt(value);
        digest.update(buffer.array());
    }
}
