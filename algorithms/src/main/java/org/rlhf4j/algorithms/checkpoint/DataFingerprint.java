package org.rlhf4j.algorithms.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.models.io.DurableFiles;

/**
 * Identifies the encoded training pairs of a run, so that a run is not resumed on other data.
 *
 * <p>The SHA-256 covers, for every pair in list order: the UTF-8 bytes of the id, the chosen and
 * the rejected token ids, and the bits of the magnitude, each length-prefixed and big-endian. The
 * subset label is left out because training does not read it. The order counts because the batch
 * order is a shuffle of the list.
 *
 * @param pairs number of pairs, at least 0
 * @param sha256 lowercase hex SHA-256 described above
 */
public record DataFingerprint(int pairs, String sha256) {

    public DataFingerprint {
        if (pairs < 0) {
            throw new IllegalArgumentException("pairs must be >= 0, got " + pairs);
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, got " + sha256);
        }
    }

    /**
     * Computes the fingerprint of encoded pairs.
     *
     * @param pairs the pairs in training order
     * @return their count and SHA-256
     */
    public static DataFingerprint of(List<EncodedPair> pairs) {
        MessageDigest digest = DurableFiles.newSha256();
        for (EncodedPair pair : pairs) {
            byte[] id = pair.id().getBytes(StandardCharsets.UTF_8);
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(id.length).array());
            digest.update(id);
            digest.update(tokens(pair.chosen()));
            digest.update(tokens(pair.rejected()));
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(Double.doubleToLongBits(pair.magnitude())).array());
        }
        return new DataFingerprint(pairs.size(), HexFormat.of().formatHex(digest.digest()));
    }

    private static byte[] tokens(int[] ids) {
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES * (ids.length + 1));
        buffer.putInt(ids.length);
        for (int id : ids) {
            buffer.putInt(id);
        }
        return buffer.array();
    }
}
