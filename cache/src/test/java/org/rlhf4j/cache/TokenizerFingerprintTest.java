package org.rlhf4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;

class TokenizerFingerprintTest {

    private static final List<String> PIECES = List.of("<unk>", "<s>", "</s>", "\u2581a", "b");
    private static final float[] SCORES = {0, 0, 0, -1.5f, -2.0f};
    private static final int[] TYPES = {2, 3, 3, 1, 1};

    @Test
    void tinyVocabularyHasKnownFingerprint() {
        // Computed independently with Python's hashlib and struct.pack('>i'/'>f') over the documented layout.
        assertThat(TokenizerFingerprint.of(tokenizer(PIECES, SCORES, TYPES, 1, true)))
                .isEqualTo("sentencepiece-sha256:ba993d64277b470eceee4207d072a46c94daa45a44b13a0441680ce0c7e56549");
    }

    @Test
    void changedScoreChangesFingerprint() {
        float[] scores = SCORES.clone();
        scores[4] = -2.5f;
        assertChanged(tokenizer(PIECES, scores, TYPES, 1, true));
    }

    @Test
    void changedPieceChangesFingerprint() {
        assertChanged(tokenizer(List.of("<unk>", "<s>", "</s>", "\u2581a", "c"), SCORES, TYPES, 1, true));
    }

    @Test
    void changedTypeChangesFingerprint() {
        assertChanged(tokenizer(PIECES, SCORES, new int[] {2, 3, 3, 1, 4}, 1, true));
    }

    @Test
    void changedBosChangesFingerprint() {
        assertChanged(tokenizer(PIECES, SCORES, TYPES, 2, true));
    }

    @Test
    void changedSpacePrefixChangesFingerprint() {
        assertChanged(tokenizer(PIECES, SCORES, TYPES, 1, false));
    }

    @Test
    void pieceBoundariesAreUnambiguous() {
        // "ab" + "c" and "a" + "bc" concatenate to the same text; the length prefixes keep them apart.
        SentencePieceTokenizer first = tokenizer(List.of("<unk>", "<s>", "</s>", "ab", "c"), SCORES, TYPES, 1, true);
        SentencePieceTokenizer second = tokenizer(List.of("<unk>", "<s>", "</s>", "a", "bc"), SCORES, TYPES, 1, true);
        assertThat(TokenizerFingerprint.of(first)).isNotEqualTo(TokenizerFingerprint.of(second));
    }

    private static void assertChanged(SentencePieceTokenizer changed) {
        assertThat(TokenizerFingerprint.of(changed))
                .isNotEqualTo(TokenizerFingerprint.of(tokenizer(PIECES, SCORES, TYPES, 1, true)));
    }

    private static SentencePieceTokenizer tokenizer(List<String> pieces, float[] scores, int[] types, int bosId,
            boolean addSpacePrefix) {
        return SentencePieceTokenizer.of(pieces, scores, types, bosId, 2, 0, addSpacePrefix);
    }
}
