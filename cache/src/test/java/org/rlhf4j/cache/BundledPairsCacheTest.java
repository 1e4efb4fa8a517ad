package org.rlhf4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.data.DataSources;
import org.rlhf4j.models.BundledModels;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.chat.ExtraIdChatTemplate;
import org.rlhf4j.models.chat.PlainChatTemplate;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;

/**
 * Caches the bundled instruction-preference pairs, tokenized with the bundled stories260K tokenizer,
 * the plain chat template, 192 tokens per side and truncation.
 */
class BundledPairsCacheTest {

    private static final String PAIRS = "datasets/instruction-preference/instruction-data-with-preference.json";
    private static final String SOURCE = "instruction-preference";
    private static final int MAX_LENGTH = 192;

    private static Path dataFile;
    private static SentencePieceTokenizer tokenizer;
    private static EncodeResult encoded;

    @TempDir
    Path dir;

    private final AtomicInteger calls = new AtomicInteger();

    @BeforeAll
    static void encodeBundledPairs() throws IOException {
        Optional<Path> model = BundledModels.stories260K();
        Optional<Path> data = BundledModels.find(PAIRS);
        Assumptions.assumeTrue(model.isPresent(), "stories260K.gguf not found under bundled/"
                + BundledModels.STORIES_260K);
        Assumptions.assumeTrue(data.isPresent(), "instruction-preference pairs not found under bundled/" + PAIRS);
        dataFile = data.get();
        tokenizer = SentencePieceTokenizer.fromGguf(GgufFile.open(model.get()));
        encoded = encode(dataFile, tokenizer, new PlainChatTemplate(), MAX_LENGTH);
    }

    private static EncodeResult encode(Path file, SentencePieceTokenizer vocabulary, ChatTemplate template,
            int maxLength) {
        PairEncoder encoder = new PairEncoder(vocabulary, template, maxLength, TruncationMode.TRUNCATE);
        try (RecordReader<PreferencePair> reader =
                DataSources.forName(SOURCE, PreferencePair.class).open(file, ReadOptions.strict())) {
            return encoder.encode(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CacheKey.Builder key(Path file) throws IOException {
        return CacheKey.builder()
                .dataFile(file)
                .dataSource(SOURCE, ReadOptions.strict())
                .tokenizer(tokenizer)
                .chatTemplate(new PlainChatTemplate())
                .maxLength(MAX_LENGTH)
                .truncation(TruncationMode.TRUNCATE);
    }

    private Supplier<EncodeResult> counting(Supplier<EncodeResult> compute) {
        return () -> {
            calls.incrementAndGet();
            return compute.get();
        };
    }

    @Test
    void bundledPairsAreAllKept() {
        // The file has 1,100 rows; the reader drops 6 whose two responses are the same text.
        assertThat(encoded.seen()).isEqualTo(1094);
        assertThat(encoded.pairs()).hasSize(1094);
        assertThat(encoded.droppedTotal()).isZero();
    }

    @Test
    void reloadGivesEqualPairs() throws IOException {
        CacheKey key = key(dataFile).build();
        TokenizedPairCache.in(dir).getOrCompute(key, counting(() -> encoded));

        EncodeResult reloaded = TokenizedPairCache.in(dir).getOrCompute(key, counting(() -> encoded));

        assertThat(calls).hasValue(1);
        assertThat(reloaded.pairs()).isEqualTo(encoded.pairs());
        assertThat(reloaded.seen()).isEqualTo(encoded.seen());
        assertThat(reloaded.dropped()).isEqualTo(encoded.dropped());
    }

    @Test
    void reloadEqualsFreshTokenization() throws IOException {
        CacheKey key = key(dataFile).build();
        TokenizedPairCache.in(dir).store(key, encoded);

        EncodeResult reloaded = TokenizedPairCache.in(dir).load(key).orElseThrow();

        assertThat(reloaded).isEqualTo(encode(dataFile, tokenizer, new PlainChatTemplate(), MAX_LENGTH));
    }

    @Test
    void changedDataFileMisses() throws IOException {
        Path copy = dir.resolve("pairs.json");
        Files.copy(dataFile, copy);
        TokenizedPairCache cache = TokenizedPairCache.in(dir.resolve("cache"));
        CacheKey original = key(copy).build();
        cache.getOrCompute(original, counting(() -> encoded));
        Files.writeString(copy, "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        CacheKey changed = key(copy).build();
        cache.getOrCompute(changed, counting(() -> encode(copy, tokenizer, new PlainChatTemplate(), MAX_LENGTH)));

        assertThat(changed.sha256()).isNotEqualTo(original.sha256());
        assertThat(calls).hasValue(2);
    }

    @Test
    void changedTokenizerMisses() throws IOException {
        float[] scores = tokenizer.scores();
        scores[scores.length - 1] += 1f;
        int[] types = new int[tokenizer.vocabSize()];
        for (int id = 0; id < types.length; id++) {
            types[id] = tokenizer.type(id).code();
        }
        SentencePieceTokenizer changedVocabulary = SentencePieceTokenizer.of(tokenizer.pieces(), scores, types,
                tokenizer.bosId(), tokenizer.eosId(), tokenizer.unkId(), tokenizer.addSpacePrefix());
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        cache.getOrCompute(key(dataFile).build(), counting(() -> encoded));

        cache.getOrCompute(key(dataFile).tokenizer(changedVocabulary).build(), counting(() -> encoded));

        assertThat(calls).hasValue(2);
    }

    @Test
    void changedTemplateMisses() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        cache.getOrCompute(key(dataFile).build(), counting(() -> encoded));

        EncodeResult extraId = cache.getOrCompute(key(dataFile).chatTemplate(new ExtraIdChatTemplate()).build(),
                counting(() -> encode(dataFile, tokenizer, new ExtraIdChatTemplate(), MAX_LENGTH)));

        assertThat(calls).hasValue(2);
        assertThat(extraId.pairs().get(0)).isNotEqualTo(encoded.pairs().get(0));
    }

    @Test
    void changedMaxLengthMisses() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        cache.getOrCompute(key(dataFile).build(), counting(() -> encoded));

        cache.getOrCompute(key(dataFile).maxLength(MAX_LENGTH + 1).build(), counting(() -> encoded));

        assertThat(calls).hasValue(2);
    }

    @Test
    void corruptedFileIsRecomputed() throws IOException {
        TokenizedPairCache cache = TokenizedPairCache.in(dir);
        CacheKey key = key(dataFile).build();
        cache.getOrCompute(key, counting(() -> encoded));
        byte[] bytes = Files.readAllBytes(cache.arrowFile(key));
        bytes[bytes.length / 3] ^= 0x40;
        Files.write(cache.arrowFile(key), bytes);

        EncodeResult recomputed = cache.getOrCompute(key, counting(() -> encoded));

        assertThat(calls).hasValue(2);
        assertThat(recomputed.pairs()).isEqualTo(encoded.pairs());
    }
}
