package org.rlhf4j.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.RatedResponse;

/**
 * Deterministic held-out splits. Whether a record is held out depends only on its key and the seed,
 * never on the list order, the JVM or the run. The key is hashed with SHA-256 together with the
 * seed, and the first 53 bits of the hash give a number u in [0, 1). The record is held out when
 * u &lt; the held-out fraction, so records with the same key land on the same side.
 *
 * <p>The default key is the record id. To keep every record of one prompt on the same side (for
 * example HelpSteer2, where consecutive rows share a prompt), pass a key function that returns the
 * prompt text.
 */
public final class Splits {

    private static final double UNIT = 0x1.0p-53;

    private Splits() {
    }

    /**
     * The two parts of a split, each in the order of the input list.
     *
     * @param <T> the record type
     * @param train the records not held out
     * @param heldOut the held-out records
     */
    public record Split<T>(List<T> train, List<T> heldOut) {

        public Split {
            train = List.copyOf(train);
            heldOut = List.copyOf(heldOut);
        }
    }

    /**
     * Splits records by a key.
     *
     * @param records the records
     * @param key returns the key of a record, never null
     * @param heldOutFraction expected share of held-out records, from 0 to 1
     * @param seed seed of the hash; another seed gives an independent split
     * @return the split
     * @throws IllegalArgumentException when the fraction is outside [0, 1] or a key is null
     */
    public static <T> Split<T> byKey(List<T> records, Function<? super T, String> key, double heldOutFraction,
            long seed) {
        checkFraction(heldOutFraction);
        List<T> train = new ArrayList<>();
        List<T> heldOut = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            T record = records.get(i);
            String id = key.apply(record);
            if (id == null) {
                throw new IllegalArgumentException("record at index " + i + " has a null key");
            }
            (unitHash(id, seed) < heldOutFraction ? heldOut : train).add(record);
        }
        return new Split<>(train, heldOut);
    }

    /** Splits preference pairs by {@link PreferencePair#id()}. */
    public static Split<PreferencePair> pairs(List<PreferencePair> pairs, double heldOutFraction, long seed) {
        return byKey(pairs, PreferencePair::id, heldOutFraction, seed);
    }

    /** Splits rated responses by {@link RatedResponse#id()}. */
    public static Split<RatedResponse> rated(List<RatedResponse> responses, double heldOutFraction, long seed) {
        return byKey(responses, RatedResponse::id, heldOutFraction, seed);
    }

    /**
     * Tells whether a record with this key is held out.
     *
     * @throws IllegalArgumentException when the fraction is outside [0, 1]
     */
    public static boolean isHeldOut(String key, double heldOutFraction, long seed) {
        checkFraction(heldOutFraction);
        return unitHash(Objects.requireNonNull(key, "key"), seed) < heldOutFraction;
    }

    /**
     * Hashes a key to a number in [0, 1). The input of SHA-256 is the seed as 8 big-endian bytes
     * followed by the key in UTF-8. The first 8 bytes of the digest are read as an unsigned
     * big-endian integer, and its top 53 bits are multiplied by 2^-53.
     */
    public static double unitHash(String key, long seed) {
        MessageDigest digest = sha256();
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        digest.update(key.getBytes(StandardCharsets.UTF_8));
        long bits = ByteBuffer.wrap(digest.digest()).getLong();
        return (bits >>> 11) * UNIT;
    }

    private static void checkFraction(double fraction) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 1], got " + fraction);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
