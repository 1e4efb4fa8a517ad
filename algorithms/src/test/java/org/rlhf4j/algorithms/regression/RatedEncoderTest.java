package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.algorithms.toy.BareTemplate;
import org.rlhf4j.algorithms.toy.ToyData;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.Turn;

/** Token ids of the toy tokenizer: BOS 1, EOS 2, q0..q2 = 4..6, g1..g3 = 8..10, b1 = 12. */
class RatedEncoderTest {

    private static final RegressionTargets HELPFULNESS_ONLY = RegressionTargets.helpSteer2HelpfulnessOnly();

    private static RatedEncoder encoder(int maxLength, TruncationMode mode) {
        return new RatedEncoder(ToyData.TOKENIZER, new BareTemplate(), HELPFULNESS_ONLY, maxLength, mode);
    }

    private static RatedResponse rated(String prompt, String response, Map<String, Double> ratings) {
        return new RatedResponse("r", List.of(Turn.user(prompt)), response, ratings);
    }

    @Test
    void encodesIdsLabelsAndMask() {
        RatedEncodeResult result = encoder(64, TruncationMode.FILTER)
                .encode(List.of(rated("q0", "g1 g2", Map.of("helpfulness", 3.0, "verbosity", 1.0))));

        EncodedRated example = result.examples().get(0);
        assertThat(example.ids()).containsExactly(1, 4, 8, 9, 2);
        assertThat(example.labels()).containsExactly(3f, 0f, 0f, 0f, 0f);
        assertThat(example.mask()).containsExactly(1f, 0f, 0f, 0f, 0f);
        assertThat(result.seen()).isEqualTo(1);
    }

    @Test
    void recordWithoutTrainedRatingIsDropped() {
        RatedEncodeResult result =
                encoder(64, TruncationMode.FILTER).encode(List.of(rated("q0", "g1", Map.of("verbosity", 1.0))));

        assertThat(result.examples()).isEmpty();
        assertThat(result.dropped(RatedEncoder.UNLABELLED)).isEqualTo(1);
    }

    @Test
    void overLengthRecordIsFiltered() {
        RatedEncodeResult result =
                encoder(4, TruncationMode.FILTER).encode(List.of(rated("q0", "g1 g2", Map.of("helpfulness", 1.0))));

        assertThat(result.examples()).isEmpty();
        assertThat(result.dropped(PairEncoder.DROPPED_OVERLENGTH)).isEqualTo(1);
    }

    @Test
    void truncationCutsPromptFirst() {
        RatedResponse record = rated("q0 q1 q2", "g1 g2 g3", Map.of("helpfulness", 2.0));

        int[] six = encoder(6, TruncationMode.TRUNCATE).encode(List.of(record)).examples().get(0).ids();
        int[] four = encoder(4, TruncationMode.TRUNCATE).encode(List.of(record)).examples().get(0).ids();

        // Full sequence: 1 4 5 6 8 9 10 2.
        assertThat(six).containsExactly(1, 6, 8, 9, 10, 2);
        assertThat(four).containsExactly(1, 8, 9, 2);
    }

    @Test
    void truncationMatchesPairEncoder() {
        List<Turn> prompt = List.of(Turn.user("q0 q1 q2"));
        PairEncoder pairs = new PairEncoder(ToyData.TOKENIZER, new BareTemplate(), 5, TruncationMode.TRUNCATE);
        EncodedPair pair = pairs.encode(List.of(new PreferencePair("p", prompt, "g1 g2 g3", "b1", 1, null)))
                .pairs().get(0);

        EncodedRated example = encoder(5, TruncationMode.TRUNCATE)
                .encode(List.of(new RatedResponse("r", prompt, "g1 g2 g3", Map.of("helpfulness", 1.0))))
                .examples().get(0);

        assertThat(example.ids()).containsExactly(pair.chosen());
    }

    @Test
    void emptyPromptIsRejected() {
        RatedResponse record = new RatedResponse("r7", List.of(), "g1", Map.of("helpfulness", 1.0));

        assertThatThrownBy(() -> encoder(64, TruncationMode.FILTER).encode(List.of(record)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Record r7 has no prompt turn");
    }

    @Test
    void syntheticSetLabelsThreeOrFiveSlots() {
        List<EncodedRated> examples = RatedData.encoded(6, 1, RegressionTargets.helpSteer2());

        assertThat(examples).extracting(EncodedRated::labelledCount).containsExactly(5, 5, 3, 5, 5, 3);
    }
}
