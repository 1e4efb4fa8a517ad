package org.rlhf4j.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataTypesTest {

    @Test
    void pairRejectsNonPositiveMagnitude() {
        List<Turn> prompt = List.of(Turn.user("Q"));
        assertThatThrownBy(() -> new PreferencePair("1", prompt, "a", "b", 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("magnitude");
        assertThatThrownBy(() -> new PreferencePair("1", prompt, "a", "b", Double.NaN, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PreferencePair("1", prompt, "a", "b", Double.POSITIVE_INFINITY, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pairCopiesPrompt() {
        List<Turn> prompt = new ArrayList<>(List.of(Turn.user("Q")));
        PreferencePair pair = new PreferencePair("1", prompt, "a", "b", 2, "chat");
        prompt.add(Turn.assistant("changed"));

        assertThat(pair.prompt()).hasSize(1);
        assertThat(pair.subsetName()).contains("chat");
    }

    @Test
    void ratedResponseKeepsAttributeOrder() {
        RatedResponse response = new RatedResponse("1", List.of(Turn.user("Q")), "A",
                new java.util.LinkedHashMap<>(Map.of("helpfulness", 3.0)));

        assertThat(response.ratings()).containsEntry("helpfulness", 3.0);
        assertThatThrownBy(() -> response.ratings().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readStatsCountsPerReason() {
        ReadStats stats = new ReadStats();
        stats.countRead();
        stats.countRead();
        stats.countRead();
        stats.countBlank();
        stats.countKept();
        stats.countDropped("tie");

        assertThat(stats.read()).isEqualTo(3);
        assertThat(stats.blank()).isEqualTo(1);
        assertThat(stats.kept()).isEqualTo(1);
        assertThat(stats.dropped("tie")).isEqualTo(1);
        assertThat(stats.dropped("identical")).isZero();
        assertThat(stats.toString()).isEqualTo("read=3 kept=1 blank=1 dropped={tie=1}");
    }

    @Test
    void readOptionsValidateLimits() {
        assertThat(ReadOptions.strict().onError()).isEqualTo(ReadOptions.OnError.FAIL);
        assertThat(ReadOptions.lenient().onError()).isEqualTo(ReadOptions.OnError.SKIP);
        assertThat(ReadOptions.strict().keepTies()).isFalse();
        assertThat(ReadOptions.strict().withKeepTies(true).keepTies()).isTrue();
        assertThatThrownBy(() -> ReadOptions.strict().withMaxLineChars(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineChars");
    }

    @Test
    void formatErrorNamesFileLineAndField() {
        DataFormatException error = new DataFormatException(Path.of("pairs.jsonl"), 7, "rejected",
                "missing; expected a JSON string");

        assertThat(error.getMessage()).isEqualTo("pairs.jsonl:7: field 'rejected': missing; expected a JSON string");
        assertThat(error.line()).isEqualTo(7);
        assertThat(error.field()).isEqualTo("rejected");
    }
}
