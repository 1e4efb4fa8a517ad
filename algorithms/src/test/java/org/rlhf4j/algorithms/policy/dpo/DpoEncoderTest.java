package org.rlhf4j.algorithms.policy.dpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.algorithms.toy.BareTemplate;
import org.rlhf4j.algorithms.toy.ToyTokenizer;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.Turn;

class DpoEncoderTest {

    private static final ToyTokenizer TOKENIZER = new ToyTokenizer(List.of("a", "b", "c", "x", "y", "z", "w"));

    private static PreferencePair pair(String prompt, String chosen, String rejected) {
        return new PreferencePair("p1", List.of(Turn.user(prompt)), chosen, rejected, 2.0, null);
    }

    private static DpoEncoder encoder(int maxLength, TruncationMode mode) {
        return new DpoEncoder(TOKENIZER, new BareTemplate(), maxLength, mode);
    }

    private static int[] ids(String... words) {
        int[] result = new int[words.length];
        for (int i = 0; i < words.length; i++) {
            result[i] = switch (words[i]) {
                case "<s>" -> ToyTokenizer.BOS;
                case "</s>" -> ToyTokenizer.EOS;
                default -> TOKENIZER.id(words[i]);
            };
        }
        return result;
    }

    @Test
    void promptLengthCountsBosAndPromptTokens() {
        DpoEncodeResult result = encoder(16, TruncationMode.FILTER).encode(List.of(pair("a b c", "x y", "z")));

        DpoExample example = result.examples().get(0);
        assertThat(example.pair().chosen()).containsExactly(ids("<s>", "a", "b", "c", "x", "y", "</s>"));
        assertThat(example.pair().rejected()).containsExactly(ids("<s>", "a", "b", "c", "z", "</s>"));
        assertThat(example.chosenPromptLength()).isEqualTo(4);
        assertThat(example.rejectedPromptLength()).isEqualTo(4);
        assertThat(example.chosenResponseLength()).isEqualTo(3);
        assertThat(example.pair().magnitude()).isEqualTo(2.0);
    }

    @Test
    void identicalSidesAreDroppedAndCounted() {
        DpoEncodeResult result = encoder(16, TruncationMode.FILTER).encode(List.of(pair("a", "x y", "x y")));

        assertThat(result.examples()).isEmpty();
        assertThat(result.dropped(PairEncoder.IDENTICAL)).isEqualTo(1);
        assertThat(result.seen()).isEqualTo(1);
    }

    @Test
    void filterModeDropsOverlengthPairs() {
        DpoEncodeResult result = encoder(6, TruncationMode.FILTER)
                .encode(List.of(pair("a b c", "x y", "z"), pair("a", "x", "y")));

        assertThat(result.examples()).hasSize(1);
        assertThat(result.dropped(PairEncoder.DROPPED_OVERLENGTH)).isEqualTo(1);
    }

    @Test
    void truncationCutsPromptBeforeResponse() {
        // <s> a b c x y </s> is 7 tokens; at 5 the prompt loses a and b and the response is whole.
        DpoEncodeResult result = encoder(5, TruncationMode.TRUNCATE).encode(List.of(pair("a b c", "x y", "z")));

        DpoExample example = result.examples().get(0);
        assertThat(example.pair().chosen()).containsExactly(ids("<s>", "c", "x", "y", "</s>"));
        assertThat(example.chosenPromptLength()).isEqualTo(2);
        assertThat(example.pair().rejected()).containsExactly(ids("<s>", "b", "c", "z", "</s>"));
        assertThat(example.rejectedPromptLength()).isEqualTo(3);
    }

    @Test
    void truncationCutsResponseEndWhenPromptIsGone() {
        // <s> a x y z w </s> is 7 tokens; at 3 the prompt goes, then the response loses its end and the EOS.
        DpoEncodeResult result = encoder(3, TruncationMode.TRUNCATE).encode(List.of(pair("a", "x y z w", "z")));

        DpoExample example = result.examples().get(0);
        assertThat(example.pair().chosen()).containsExactly(ids("<s>", "x", "y"));
        assertThat(example.chosenPromptLength()).isEqualTo(1);
        assertThat(example.pair().rejected()).containsExactly(ids("<s>", "z", "</s>"));
        assertThat(example.rejectedPromptLength()).isEqualTo(1);
    }

    @Test
    void truncationThatMakesSidesEqualDropsPair() {
        DpoEncodeResult result = encoder(3, TruncationMode.TRUNCATE)
                .encode(List.of(pair("a", "x y z", "x y w")));

        assertThat(result.examples()).isEmpty();
        assertThat(result.dropped(PairEncoder.IDENTICAL_AFTER_TRUNCATION)).isEqualTo(1);
    }
}
