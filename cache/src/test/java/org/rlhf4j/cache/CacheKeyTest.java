package org.rlhf4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.models.chat.ExtraIdChatTemplate;

class CacheKeyTest {

    private static final String CANONICAL = "{\"formatVersion\":1,"
            + "\"dataSha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\","
            + "\"dataSource\":\"instruction-preference\","
            + "\"readOptions\":{\"onError\":\"FAIL\",\"keepTies\":false,\"maxLineChars\":16777216},"
            + "\"tokenizer\":\"test-tokenizer-v1\",\"chatTemplate\":\"plain\",\"maxLength\":192,"
            + "\"truncation\":\"TRUNCATE\"}";

    @Test
    void canonicalJsonHasFixedLayout() {
        assertThat(TestPairs.keyBuilder().build().canonicalJson()).isEqualTo(CANONICAL);
    }

    @Test
    void digestIsSha256OfCanonicalJson() {
        // Computed independently: python3 -c "import hashlib; print(hashlib.sha256(CANONICAL.encode()).hexdigest())"
        assertThat(TestPairs.keyBuilder().build().sha256())
                .isEqualTo("9b732384b21f029cd6ce7bff5889af7409796f05b23a0dc2e84f34c0508e2eb8");
    }

    @Test
    void equalInputsGiveEqualDigests() {
        assertThat(TestPairs.keyBuilder().build().sha256()).isEqualTo(TestPairs.keyBuilder().build().sha256());
    }

    @Test
    void dataFileDigestIsSha256OfBytes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("data.json");
        Files.writeString(file, "abc", StandardCharsets.UTF_8);

        CacheKey key = TestPairs.keyBuilder().dataFile(file).build();

        assertThat(key.dataSha256()).isEqualTo(TestPairs.DATA_SHA256);
    }

    @Test
    void changedDataChangesDigest() {
        String other = "ca7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertChanged(TestPairs.keyBuilder().dataSha256(other).build());
    }

    @Test
    void changedSourceChangesDigest() {
        assertChanged(TestPairs.keyBuilder().dataSource("pairs", ReadOptions.strict()).build());
    }

    @Test
    void changedReadOptionsChangeDigest() {
        assertChanged(TestPairs.keyBuilder().dataSource("instruction-preference", ReadOptions.lenient()).build());
        assertChanged(TestPairs.keyBuilder()
                .dataSource("instruction-preference", ReadOptions.strict().withKeepTies(true)).build());
        assertChanged(TestPairs.keyBuilder()
                .dataSource("instruction-preference", ReadOptions.strict().withMaxLineChars(1000)).build());
    }

    @Test
    void changedTokenizerChangesDigest() {
        assertChanged(TestPairs.keyBuilder().tokenizerFingerprint("test-tokenizer-v2").build());
    }

    @Test
    void changedTemplateChangesDigest() {
        assertChanged(TestPairs.keyBuilder().chatTemplate(new ExtraIdChatTemplate()).build());
    }

    @Test
    void changedMaxLengthChangesDigest() {
        assertChanged(TestPairs.keyBuilder().maxLength(193).build());
    }

    @Test
    void changedTruncationChangesDigest() {
        assertChanged(TestPairs.keyBuilder().truncation(TruncationMode.FILTER).build());
    }

    @Test
    void changedFormatVersionChangesDigest() {
        CacheKey key = TestPairs.keyBuilder().build();
        CacheKey next = new CacheKey(key.formatVersion() + 1, key.dataSha256(), key.dataSource(), key.readOptions(),
                key.tokenizer(), key.chatTemplate(), key.maxLength(), key.truncation());
        assertChanged(next);
    }

    @Test
    void missingComponentIsNamed() {
        CacheKey.Builder builder = CacheKey.builder().dataSha256(TestPairs.DATA_SHA256)
                .dataSource("pairs", ReadOptions.strict()).tokenizerFingerprint("t").maxLength(8)
                .truncation(TruncationMode.FILTER);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chat template");
    }

    @Test
    void malformedDataDigestIsRejected() {
        assertThatThrownBy(() -> TestPairs.keyBuilder().dataSha256("abc").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'abc'");
    }

    @Test
    void uppercaseDataDigestIsNormalised() {
        CacheKey key = TestPairs.keyBuilder().dataSha256(TestPairs.DATA_SHA256.toUpperCase()).build();
        assertThat(key.dataSha256()).isEqualTo(TestPairs.DATA_SHA256);
    }

    @Test
    void maxLengthBelowTwoIsRejected() {
        assertThatThrownBy(() -> TestPairs.keyBuilder().maxLength(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1");
    }

    @Test
    void blankTemplateIsRejected() {
        assertThatThrownBy(() -> TestPairs.keyBuilder().chatTemplate(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chatTemplate");
    }

    private static void assertChanged(CacheKey changed) {
        assertThat(changed.sha256()).isNotEqualTo(TestPairs.keyBuilder().build().sha256());
    }
}
