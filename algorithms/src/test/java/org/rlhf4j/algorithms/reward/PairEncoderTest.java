package org.rlhf4j.algorithms.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.toy.BareTemplate;
import org.rlhf4j.algorithms.toy.CapturedStderr;
import org.rlhf4j.algorithms.toy.ToyTokenizer;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.chat.ExtraIdChatTemplate;
import org.rlhf4j.models.chat.PlainChatTemplate;

class PairEncoderTest {

    private static final ToyTokenizer TOKENIZER = new ToyTokenizer(List.of(
            "p1", "p2", "c1", "c2", "c3", "c4", "c5", "r1", "r2", "r3", "User:", "Assistant:", "<extra_id_2>"));

    private static int id(String word) {
        return TOKENIZER.id(word);
    }

    private static int[] ids(String... words) {
        int[] result = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            result[i] = words[i].equals("<s>") ? ToyTokenizer.BOS
                    : words[i].equals("</s>") ? ToyTokenizer.EOS : id(words[i]);
        }
        return result;
    }

    private static PreferencePair pair(String id, String prompt, String chosen, String rejected) {
        return new PreferencePair(id, List.of(Turn.user(prompt)), chosen, rejected, 1.0, null);
    }

    /** Prompt of 3 tokens (BOS, p1, p2); chosen 5 tokens + EOS = 9 in all; rejected 3 + EOS = 7. */
    private static final PreferencePair P1 = pair("P1", "p1 p2", "c1 c2 c3 c4 c5", "r1 r2 r3");
    /** Both sides at most 8 tokens. */
    private static final PreferencePair P2 = pair("P2", "p1", "c1 c2", "r1");

    private static PairEncoder encoder(TruncationMode mode) {
        return new PairEncoder(TOKENIZER, new BareTemplate(), 8, mode);
    }

    @Test
    void sequencesHaveOneBosAndOneEos() {
        int[] sequence = encoder(TruncationMode.FILTER).encodeSequence(List.of(Turn.user("p1")), "c1");

        assertThat(sequence).containsExactly(ids("<s>", "p1", "c1", "</s>"));
    }

    @Test
    void bosWrittenByTemplateIsNotRepeated() {
        ChatTemplate template = new ChatTemplate() {
            @Override
            public String name() {
                return "bos-writing";
            }

            @Override
            public String promptPrefix(List<Turn> prompt) {
                return "<s> " + prompt.get(0).text() + " ";
            }

            @Override
            public String responseSuffix() {
                return " </s>";
            }
        };
        PairEncoder encoder = new PairEncoder(TOKENIZER, template, 8, TruncationMode.FILTER);

        int[] sequence = encoder.encodeSequence(List.of(Turn.user("p1")), "c1");

        assertThat(sequence).containsExactly(ids("<s>", "p1", "c1", "</s>"));
    }

    @Test
    void iteratorInputIsEncoded() {
        EncodeResult result = encoder(TruncationMode.FILTER).encode(List.of(P1, P2).iterator());

        assertThat(result.pairs()).extracting(EncodedPair::id).containsExactly("P2");
        assertThat(result.seen()).isEqualTo(2);
    }

    @Test
    void filterDropsOverlengthPair() {
        EncodeResult result = encoder(TruncationMode.FILTER).encode(List.of(P1, P2));

        assertThat(result.pairs()).extracting(EncodedPair::id).containsExactly("P2");
        assertThat(result.dropped(PairEncoder.DROPPED_OVERLENGTH)).isEqualTo(1);
        assertThat(result.seen()).isEqualTo(2);
    }

    @Test
    void filterLogsOverlengthCount() {
        try (CapturedStderr stderr = new CapturedStderr()) {
            encoder(TruncationMode.FILTER).encode(List.of(P1, P2));

            assertThat(stderr.text()).contains("WARN").contains("dropped_overlength=1");
        }
    }

    @Test
    void truncateKeepsBothPairs() {
        EncodeResult result = encoder(TruncationMode.TRUNCATE).encode(List.of(P1, P2));

        assertThat(result.pairs()).extracting(EncodedPair::id).containsExactly("P1", "P2");
        assertThat(result.droppedTotal()).isZero();
    }

    @Test
    void truncateCutsPromptStartAndKeepsEos() {
        EncodedPair p1 = encoder(TruncationMode.TRUNCATE).encode(List.of(P1)).pairs().get(0);

        assertThat(p1.chosen()).containsExactly(ids("<s>", "p2", "c1", "c2", "c3", "c4", "c5", "</s>"));
        assertThat(p1.chosen()[p1.chosen().length - 1]).isEqualTo(ToyTokenizer.EOS);
        assertThat(p1.rejected()).containsExactly(ids("<s>", "p1", "p2", "r1", "r2", "r3", "</s>"));
    }

    @Test
    void truncateCutsResponseEndAfterPrompt() {
        // 1 + 1 + 8 + 1 = 11 tokens: the prompt token goes first, then the last 2 response tokens.
        PreferencePair pair = pair("long", "p1", "c1 c2 c3 c4 c5 r1 r2 r3", "r1");

        EncodedPair encoded = encoder(TruncationMode.TRUNCATE).encode(List.of(pair)).pairs().get(0);

        assertThat(encoded.chosen()).containsExactly(ids("<s>", "c1", "c2", "c3", "c4", "c5", "r1", "</s>"));
    }

    @Test
    void pairIdenticalAfterTruncationIsDropped() {
        // Both sides differ only in the last response token, which truncation to 8 cuts off.
        PreferencePair pair = pair("P3", "p1", "c1 c2 c3 c4 c5 c1 c2 r1", "c1 c2 c3 c4 c5 c1 c2 r2");

        EncodeResult result = encoder(TruncationMode.TRUNCATE).encode(List.of(pair, P2));

        assertThat(result.pairs()).extracting(EncodedPair::id).containsExactly("P2");
        assertThat(result.dropped(PairEncoder.IDENTICAL_AFTER_TRUNCATION)).isEqualTo(1);
    }

    @Test
    void pairIdenticalAfterTruncationIsLoggedWithId() {
        PreferencePair pair = pair("P3", "p1", "c1 c2 c3 c4 c5 c1 c2 r1", "c1 c2 c3 c4 c5 c1 c2 r2");

        try (CapturedStderr stderr = new CapturedStderr()) {
            encoder(TruncationMode.TRUNCATE).encode(List.of(pair));

            assertThat(stderr.text()).contains("WARN").contains("Pair P3").contains("identical after truncation");
        }
    }

    @Test
    void identicalPairIsDropped() {
        EncodeResult result = encoder(TruncationMode.FILTER).encode(List.of(pair("same", "p1", "c1 c2", "c1  c2")));

        assertThat(result.pairs()).isEmpty();
        assertThat(result.dropped(PairEncoder.IDENTICAL)).isEqualTo(1);
    }

    @Test
    void plainTemplateRoleMarkersArePromptTokens() {
        PairEncoder encoder = new PairEncoder(TOKENIZER, new PlainChatTemplate(), 5, TruncationMode.TRUNCATE);
        PreferencePair pair = pair("plain", "p1", "c1 c2", "r1");

        EncodedPair encoded = encoder.encode(List.of(pair)).pairs().get(0);

        // Full chosen: <s> User: p1 Assistant: c1 c2 </s> (7); the two leading prompt tokens go.
        assertThat(encoded.chosen()).containsExactly(ids("<s>", "Assistant:", "c1", "c2", "</s>"));
    }

    @Test
    void truncateKeepsTemplateClosingMarker() {
        PairEncoder encoder = new PairEncoder(TOKENIZER, new ExtraIdChatTemplate("p1"), 6, TruncationMode.TRUNCATE);
        PreferencePair pair = pair("extra", "p2", "c1 c2 c3 c4", "r1");

        EncodedPair encoded = encoder.encode(List.of(pair)).pairs().get(0);

        // The prompt renders as several words unknown to the toy vocabulary; all of it goes first.
        assertThat(encoded.chosen()).containsExactly(ids("<s>", "c1", "c2", "c3", "<extra_id_2>", "</s>"));
    }

    @Test
    void magnitudeAndSubsetAreKept() {
        PreferencePair pair = new PreferencePair("m", List.of(Turn.user("p1")), "c1", "r1", 3.0, "chat");

        EncodedPair encoded = encoder(TruncationMode.FILTER).encode(List.of(pair)).pairs().get(0);

        assertThat(encoded.magnitude()).isEqualTo(3.0);
        assertThat(encoded.subset()).isEqualTo("chat");
    }

    @Test
    void maxLengthBelowTwoIsRejected() {
        assertThatThrownBy(() -> new PairEncoder(TOKENIZER, new BareTemplate(), 1, TruncationMode.TRUNCATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxLength");
    }
}
