package org.rlhf4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.algorithms.reward.EncodeResult;

class TokenizedPairCacheTest {

    @TempDir
    Path dir;

    private final AtomicInteger calls = new AtomicInteger();

    private Supplier<EncodeResult> counting(EncodeResult result) {
        return () -> {
            calls.incrementAndGet();
            return result;
        };
    }

    @Test
    void missComputesOnce() {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);

        EncodeResult result = cache.getOrCompute(TestPairs.keyBuilder().build(), counting(TestPairs.small()));

        assertThat(calls).hasValue(1);
        assertThat(result).isEqualTo(TestPairs.small());
    }

    @Test
    void hitSkipsSupplier() {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.getOrCompute(key, counting(TestPairs.small()));

        cache.getOrCompute(key, counting(TestPairs.small()));
        cache.getOrCompute(key, counting(TestPairs.small()));

        assertThat(calls).hasValue(1);
    }

    @Test
    void roundTripKeepsPairsAndCounts() {
        CacheKey key = TestPairs.keyBuilder().build();
        TokenizedPairCache.in(dir).getOrCompute(key, TestPairs::small);

        EncodeResult reloaded = TokenizedPairCache.in(dir).getOrCompute(key, counting(TestPairs.small()));

        assertThat(calls).hasValue(0);
        assertThat(reloaded.pairs()).isEqualTo(TestPairs.small().pairs());
        assertThat(reloaded.seen()).isEqualTo(5);
        assertThat(reloaded.dropped("identical")).isEqualTo(1);
        assertThat(reloaded.dropped("dropped_overlength")).isEqualTo(1);
        assertThat(reloaded.pairs().get(1).subset()).isNull();
        assertThat(reloaded.pairs().get(2).id()).isEqualTo("paar-\u00fc-3");
        assertThat(reloaded.pairs().get(2).magnitude()).isEqualTo(2.25);
    }

    @Test
    void severalBatchesRoundTrip() throws IOException {
        CacheKey key = TestPairs.keyBuilder().build();
        EncodeResult many = TestPairs.numbered(2 * PairArrowFormat.BATCH_ROWS + 5);
        TokenizedPairCache.in(dir).store(key, many);

        EncodeResult reloaded = TokenizedPairCache.in(dir).load(key).orElseThrow();

        assertThat(reloaded.pairs()).hasSize(2 * PairArrowFormat.BATCH_ROWS + 5);
        assertThat(reloaded).isEqualTo(many);
    }

    @Test
    void emptyResultRoundTrips() throws IOException {
        CacheKey key = TestPairs.keyBuilder().build();
        EncodeResult empty = new EncodeResult(List.of(), 3, Map.of("identical", 3L));
        TokenizedPairCache.in(dir).store(key, empty);

        EncodeResult reloaded = TokenizedPairCache.in(dir).load(key).orElseThrow();

        assertThat(reloaded.pairs()).isEmpty();
        assertThat(reloaded.seen()).isEqualTo(3);
        assertThat(reloaded.dropped("identical")).isEqualTo(3);
    }

    @Test
    void otherKeyMisses() {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        cache.getOrCompute(TestPairs.keyBuilder().build(), counting(TestPairs.small()));

        cache.getOrCompute(TestPairs.keyBuilder().maxLength(64).build(), counting(TestPairs.small()));

        assertThat(calls).hasValue(2);
    }

    @Test
    void filesAreNamedByKeyDigest() {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();

        cache.getOrCompute(key, TestPairs::small);

        assertThat(cache.arrowFile(key)).isEqualTo(dir.resolve(key.sha256() + ".arrow"));
        assertThat(cache.sidecarFile(key)).isEqualTo(dir.resolve(key.sha256() + ".json"));
        assertThat(cache.arrowFile(key)).isRegularFile();
        assertThat(cache.sidecarFile(key)).isRegularFile();
    }

    @Test
    void noTemporaryFilesRemain() throws IOException {
        TokenizedPairCache.in(dir).getOrCompute(TestPairs.keyBuilder().build(), TestPairs::small);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .hasSize(2)
                    .allMatch(name -> name.endsWith(".arrow") || name.endsWith(".json"));
        }
    }

    @Test
    void sidecarDescribesKeyAndFile() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.getOrCompute(key, TestPairs::small);

        JsonObject sidecar = JsonParser.parseString(Files.readString(cache.sidecarFile(key))).getAsJsonObject();

        assertThat(sidecar.get("keySha256").getAsString()).isEqualTo(key.sha256());
        assertThat(sidecar.getAsJsonObject("key").get("dataSource").getAsString()).isEqualTo("instruction-preference");
        assertThat(sidecar.getAsJsonObject("key").get("maxLength").getAsInt()).isEqualTo(192);
        assertThat(sidecar.getAsJsonObject("key").get("chatTemplate").getAsString()).isEqualTo("plain");
        assertThat(sidecar.get("arrowFile").getAsString()).isEqualTo(key.sha256() + ".arrow");
        assertThat(sidecar.get("arrowBytes").getAsLong()).isEqualTo(Files.size(cache.arrowFile(key)));
        assertThat(sidecar.get("arrowSha256").getAsString()).isEqualTo(Sha256.ofFile(cache.arrowFile(key)));
        assertThat(sidecar.get("pairs").getAsInt()).isEqualTo(3);
        assertThat(sidecar.get("seen").getAsInt()).isEqualTo(5);
        assertThat(sidecar.getAsJsonObject("dropped").get("identical").getAsInt()).isEqualTo(1);
    }

    @Test
    void flippedByteIsRecomputed() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.getOrCompute(key, counting(TestPairs.small()));
        Path arrow = cache.arrowFile(key);
        byte[] bytes = Files.readAllBytes(arrow);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(arrow, bytes);

        EncodeResult result = cache.getOrCompute(key, counting(TestPairs.small()));

        assertThat(calls).hasValue(2);
        assertThat(result).isEqualTo(TestPairs.small());
    }

    @Test
    void truncatedFileIsRecomputed() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.getOrCompute(key, counting(TestPairs.small()));
        try (FileChannel channel = FileChannel.open(cache.arrowFile(key), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }

        cache.getOrCompute(key, counting(TestPairs.small()));

        assertThat(calls).hasValue(2);
    }

    @Test
    void recomputedEntryIsReusable() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.getOrCompute(key, counting(TestPairs.small()));
        Files.write(cache.arrowFile(key), new byte[] {1, 2, 3});
        cache.getOrCompute(key, counting(TestPairs.small()));

        EncodeResult third = cache.getOrCompute(key, counting(TestPairs.small()));

        assertThat(calls).hasValue(2);
        assertThat(third).isEqualTo(TestPairs.small());
    }

    @Test
    void corruptEntryIsDeleted() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.store(key, TestPairs.small());
        Files.write(cache.arrowFile(key), new byte[] {1, 2, 3});

        assertThat(cache.load(key)).isEmpty();
        assertThat(cache.arrowFile(key)).doesNotExist();
        assertThat(cache.sidecarFile(key)).doesNotExist();
    }

    @Test
    void garbageSidecarIsRecomputed() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.getOrCompute(key, counting(TestPairs.small()));
        Files.writeString(cache.sidecarFile(key), "{\"keySha256\": ", StandardCharsets.UTF_8);

        cache.getOrCompute(key, counting(TestPairs.small()));

        assertThat(calls).hasValue(2);
    }

    @Test
    void arrowFileWithoutSidecarIsRecomputed() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.getOrCompute(key, counting(TestPairs.small()));
        Files.delete(cache.sidecarFile(key));

        cache.getOrCompute(key, counting(TestPairs.small()));

        assertThat(calls).hasValue(2);
        assertThat(cache.sidecarFile(key)).isRegularFile();
    }

    @Test
    void missingArrowFileIsRecomputed() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.getOrCompute(key, counting(TestPairs.small()));
        Files.delete(cache.arrowFile(key));

        EncodeResult result = cache.getOrCompute(key, counting(TestPairs.small()));

        assertThat(calls).hasValue(2);
        assertThat(result).isEqualTo(TestPairs.small());
    }

    @Test
    void entryOfOtherKeyIsRejected() throws IOException {
        // Files of one key copied under the names of another: the checksums match, the key does not.
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey stored = TestPairs.keyBuilder().build();
        CacheKey other = TestPairs.keyBuilder().maxLength(64).build();
        cache.store(stored, TestPairs.small());
        Files.copy(cache.arrowFile(stored), cache.arrowFile(other));
        Files.copy(cache.sidecarFile(stored), cache.sidecarFile(other));

        assertThat(cache.load(other)).isEmpty();
        assertThat(cache.arrowFile(other)).doesNotExist();
    }

    @Test
    void storeReplacesEntry() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.store(key, TestPairs.small());

        cache.store(key, TestPairs.numbered(4));

        assertThat(cache.load(key)).contains(TestPairs.numbered(4));
    }

    @Test
    void deleteRemovesBothFiles() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = TestPairs.keyBuilder().build();
        cache.store(key, TestPairs.small());

        boolean deleted = cache.delete(key);

        assertThat(deleted).isTrue();
        assertThat(cache.arrowFile(key)).doesNotExist();
        assertThat(cache.sidecarFile(key)).doesNotExist();
    }

    @Test
    void missingFolderIsCreated() {
        Path nested = dir.resolve("a").resolve("b");

        TokenizedPairCache.in(nested).getOrCompute(TestPairs.keyBuilder().build(), TestPairs::small);

        assertThat(nested).isDirectory();
    }

    @Test
    void unwritableFolderStillReturnsResult() throws IOException {
        // A regular file where the folder should be: the write fails, the computed result comes back.
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "not a folder");

        EncodeResult result = TokenizedPairCache.in(blocked).getOrCompute(TestPairs.keyBuilder().build(),
                counting(TestPairs.small()));

        assertThat(result).isEqualTo(TestPairs.small());
        assertThat(calls).hasValue(1);
    }

    @Test
    void defaultFolderIsUnderUserCache() {
        assertThat(TokenizedPairCache.defaultDirectory())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "rlhf4j", "tokenized"));
    }
}
