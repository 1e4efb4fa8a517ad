package org.rlhf4j.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.ReadOptions;

/** Hand-made encode results and keys for the cache tests. */
final class TestPairs {

    static final String DATA_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    private TestPairs() {
    }

    /** Returns three pairs: one with a subset, one without, one with a non-ASCII id; 5 seen, 2 dropped. */
    static EncodeResult small() {
        List<EncodedPair> pairs = List.of(
                new EncodedPair("p1", new int[] {1, 5, 6, 2}, new int[] {1, 5, 7, 8, 2}, 1.0, "alpacaeval-easy"),
                new EncodedPair("p2", new int[] {1, 9, 2}, new int[] {1, 10, 11, 12, 13, 2}, 0.5, null),
                new EncodedPair("paar-\u00fc-3", new int[] {1, 300, 2}, new int[] {1, 301, 2}, 2.25, "math-prm"));
        return new EncodeResult(pairs, 5, Map.of("identical", 1L, "dropped_overlength", 1L));
    }

    /** Returns {@code count} pairs whose token ids encode their index. */
    static EncodeResult numbered(int count) {
        List<EncodedPair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] chosen = new int[1 + i % 7];
            int[] rejected = new int[1 + i % 5];
            for (int j = 0; j < chosen.length; j++) {
                chosen[j] = i * 10 + j;
            }
            for (int j = 0; j < rejected.length; j++) {
                rejected[j] = -(i * 10 + j);
            }
            pairs.add(new EncodedPair("n" + i, chosen, rejected, 1 + i, i % 3 == 0 ? null : "s" + i % 3));
        }
        return new EncodeResult(pairs, count, Map.of());
    }

    /** Returns a complete key builder with a fixed data digest and tokenizer fingerprint. */
    static CacheKey.Builder keyBuilder() {
        return CacheKey.builder()
                .dataSha256(DATA_SHA256)
                .dataSource("instruction-preference", ReadOptions.strict())
                .tokenizerFingerprint("test-tokenizer-v1")
                .chatTemplate("plain")
                .maxLength(192)
                .truncation(TruncationMode.TRUNCATE);
    }
}
