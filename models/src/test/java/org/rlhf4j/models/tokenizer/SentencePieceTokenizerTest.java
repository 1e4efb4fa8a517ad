package org.rlhf4j.models.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.ReferenceFixture;
import org.rlhf4j.models.TestModels;
import org.rlhf4j.models.gguf.GgufFile;

class SentencePieceTokenizerTest {

    private static SentencePieceTokenizer stories;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadVocabulary() throws IOException {
        stories = SentencePieceTokenizer.fromGguf(GgufFile.open(TestModels.stories260K()));
    }

    /** Toy vocabulary: {@code <unk>}=0, {@code <s>}=1, {@code </s>}=2, then plain pieces. */
    private static SentencePieceTokenizer toy(List<String> extraPieces, float[] extraScores, boolean spacePrefix) {
        List<String> pieces = new java.util.ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        pieces.addAll(extraPieces);
        float[] scores = new float[pieces.size()];
        System.arraycopy(extraScores, 0, scores, 3, extraScores.length);
        int[] types = new int[pieces.size()];
        Arrays.fill(types, TokenType.NORMAL.code());
        types[0] = TokenType.UNKNOWN.code();
        types[1] = TokenType.CONTROL.code();
        types[2] = TokenType.CONTROL.code();
        return SentencePieceTokenizer.of(pieces, scores, types, 1, 2, 0, spacePrefix);
    }

    private static long count(int[] ids, int id) {
        return Arrays.stream(ids).filter(i -> i == id).count();
    }

    @Test
    void idsMatchPythonReference() throws IOException {
        for (ReferenceFixture.TokenizerCase testCase : ReferenceFixture.load().tokenizerCases()) {
            assertThat(stories.encode(testCase.text())).as("ids of %s", testCase.text())
                    .containsExactly(testCase.ids());
        }
    }

    @Test
    void promptIdsMatchPythonReference() throws IOException {
        ReferenceFixture fixture = ReferenceFixture.load();

        int[] ids = stories.encodeWithSpecials(fixture.prompt(), true, false);

        assertThat(ids).containsExactly(fixture.promptIds());
    }

    @Test
    void encodesKnownWords() {
        assertThat(stories.encode("Lily")).containsExactly(317);
        assertThat(stories.encode("Once upon a time")).containsExactly(403, 407, 261, 378);
        assertThat(stories.piece(317)).isEqualTo("\u2581Lily");
    }

    @Test
    void decodeRoundTripsText() {
        List<String> texts = List.of(
                "Once upon a time, there was a little girl named Lily.",
                "She said: \"Let's play!\" and ran (fast) to the park.",
                "  leading and trailing spaces  ",
                "line one\nline two\ttab",
                "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00fcber",
                "I like \uD83D\uDE00 and \uD83D\uDE80!",
                "\u4f60\u597d\uff0c\u4e16\u754c",
                "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440",
                "12345 + 678 = 7023");

        for (String text : texts) {
            assertThat(stories.decode(stories.encode(text))).as("round trip of %s", text).isEqualTo(text);
        }
    }

    @Test
    void chineseFallsBackToBytes() {
        int[] ids = stories.encode("\u4f60\u597d");

        assertThat(ids).hasSize(7);
        assertThat(stories.piece(ids[0])).isEqualTo("\u2581");
        // U+4F60 is E4 BD A0 in UTF-8, U+597D is E5 A5 BD.
        assertThat(Arrays.stream(ids).skip(1).mapToObj(stories::piece))
                .containsExactly("<0xE4>", "<0xBD>", "<0xA0>", "<0xE5>", "<0xA5>", "<0xBD>");
        assertThat(Arrays.stream(ids).skip(1).mapToObj(stories::type)).containsOnly(TokenType.BYTE);
    }

    @Test
    void emojiFallsBackToFourBytes() {
        int[] ids = stories.encode("\uD83D\uDE00");

        assertThat(Arrays.stream(ids).skip(1).mapToObj(stories::piece))
                .containsExactly("<0xF0>", "<0x9F>", "<0x98>", "<0x80>");
    }

    @Test
    void templateBosIsNotDuplicated() {
        int[] ids = stories.encodeWithSpecials("<s>[U] hi [A] ok</s>", true, true);

        assertThat(ids[0]).isEqualTo(1);
        assertThat(count(ids, 1)).isEqualTo(1);
        assertThat(ids[ids.length - 1]).isEqualTo(2);
        assertThat(count(ids, 2)).isEqualTo(1);
    }

    @Test
    void toyTemplateBosIsNotDuplicated() {
        SentencePieceTokenizer tokenizer = toy(
                List.of("\u2581", "[", "U", "]", "A", "h", "i", "o", "k", "\u2581h", "\u2581hi", "\u2581o", "\u2581ok"),
                new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -2, -3, -4}, true);

        int[] ids = tokenizer.encodeWithSpecials("<s>[U] hi [A] ok</s>", true, true);

        assertThat(ids[0]).isEqualTo(1);
        assertThat(ids[1]).isNotEqualTo(1);
        assertThat(count(ids, 1)).isEqualTo(1);
        assertThat(count(ids, 2)).isEqualTo(1);
        assertThat(ids[ids.length - 1]).isEqualTo(2);
        assertThat(tokenizer.decode(ids)).isEqualTo("[U] hi [A] ok");
    }

    @Test
    void templateTextEncodesLikePlainText() {
        assertThat(stories.encodeWithSpecials("<s>Lily</s>", true, true))
                .containsExactly(stories.encodeWithSpecials("Lily", true, true));
    }

    @Test
    void plainTextGetsOneBos() {
        int[] ids = stories.encodeWithSpecials("Lily", true, true);

        assertThat(ids).containsExactly(1, 317, 2);
    }

    @Test
    void specialTextMapsToControlIds() {
        assertThat(stories.encode("a<unk>b</s>")).containsExactly(261, 0, 268, 2);
        assertThat(stories.encode("<s></s>")).containsExactly(1, 2);
    }

    @Test
    void decodeOmitsSpecialTokens() {
        assertThat(stories.decode(new int[] {1, 317, 0, 2})).isEqualTo("Lily");
    }

    @Test
    void decodeRejectsUnknownId() {
        assertThatThrownBy(() -> stories.decode(new int[] {512}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 512");
    }

    @Test
    void padIdIsUnknownToken() {
        assertThat(stories.padId()).isZero();
        assertThat(stories.unkId()).isZero();
        assertThat(stories.bosId()).isEqualTo(1);
        assertThat(stories.eosId()).isEqualTo(2);
        assertThat(stories.vocabSize()).isEqualTo(512);
    }

    @Test
    void mergesHighestScoreFirst() {
        // "bc" outscores "ab", so "abc" splits as a + bc, not ab + c.
        SentencePieceTokenizer tokenizer =
                toy(List.of("a", "b", "c", "ab", "bc"), new float[] {0, 0, 0, -2, -1}, false);

        assertThat(tokenizer.encode("abc")).containsExactly(3, 7);
    }

    @Test
    void tiedScoresMergeLeftmostPair() {
        SentencePieceTokenizer tokenizer =
                toy(List.of("a", "b", "c", "ab", "bc"), new float[] {0, 0, 0, -1, -1}, false);

        assertThat(tokenizer.encode("abc")).containsExactly(6, 5);
    }

    @Test
    void mergesBuildLongerPieces() {
        // a+b -> ab (score -1), then ab+c -> abc (score -3) although b+c (-2) was once available.
        SentencePieceTokenizer tokenizer =
                toy(List.of("a", "b", "c", "ab", "bc", "abc"), new float[] {0, 0, 0, -1, -2, -3}, false);

        assertThat(tokenizer.encode("abc")).containsExactly(8);
    }

    @Test
    void missingByteTokensMapToUnknown() {
        SentencePieceTokenizer tokenizer = toy(List.of("a"), new float[] {0}, false);

        assertThat(tokenizer.encode("a\u00e9")).containsExactly(3, 0, 0);
    }

    @Test
    void jsonRoundTripKeepsVocabulary() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        stories.writeJson(file);

        SentencePieceTokenizer copy = SentencePieceTokenizer.readJson(file);

        assertThat(copy.pieces()).isEqualTo(stories.pieces());
        assertThat(copy.scores()).containsExactly(stories.scores());
        assertThat(copy.type(1)).isEqualTo(TokenType.CONTROL);
        assertThat(copy.type(3)).isEqualTo(TokenType.BYTE);
        assertThat(copy.bosId()).isEqualTo(1);
        assertThat(copy.addSpacePrefix()).isTrue();
        String text = "I like \uD83D\uDE00, Lily!";
        assertThat(copy.encode(text)).containsExactly(stories.encode(text));
    }

    @Test
    void rejectsMismatchedVocabularyArrays() {
        assertThatThrownBy(() -> SentencePieceTokenizer.of(List.of("a", "b"), new float[1], new int[2], 0, 0, 0, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 pieces, 1 scores");
        assertThatThrownBy(() -> SentencePieceTokenizer.of(List.of("a"), new float[1], new int[] {1}, 5, 0, 0, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bosId 5");
    }
}
