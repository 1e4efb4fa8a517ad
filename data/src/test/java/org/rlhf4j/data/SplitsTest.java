package org.rlhf4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.Turn;

class SplitsTest {

    @Test
    void hashMatchesReferenceValues() {
        // Reference values computed with Python's hashlib, so the split is the same on any JVM.
        assertThat(Splits.unitHash("a", 42)).isEqualTo(0.6170147889066719);
        assertThat(Splits.unitHash("train:17", 0)).isEqualTo(0.24732387060428995);
        assertThat(Splits.unitHash("héllo", -1)).isEqualTo(0.3059573981236976);
    }

    @Test
    void heldOutCountMatchesReference() {
        List<String> ids = ids(10_000);

        Splits.Split<String> split = Splits.byKey(ids, Function.identity(), 0.1, 7);

        assertThat(split.heldOut()).hasSize(1028);
        assertThat(split.train()).hasSize(10_000 - 1028);
    }

    @Test
    void membershipIgnoresListOrder() {
        List<String> ids = ids(2_000);
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(3));

        Splits.Split<String> first = Splits.byKey(ids, Function.identity(), 0.25, 11);
        Splits.Split<String> second = Splits.byKey(shuffled, Function.identity(), 0.25, 11);

        assertThat(second.heldOut()).containsExactlyInAnyOrderElementsOf(first.heldOut());
        assertThat(second.train()).containsExactlyInAnyOrderElementsOf(first.train());
    }

    @Test
    void keepsInputOrderWithinParts() {
        List<String> ids = ids(500);

        Splits.Split<String> split = Splits.byKey(ids, Function.identity(), 0.5, 1);

        assertThat(split.train()).isSortedAccordingTo((a, b) -> Integer.compare(ids.indexOf(a), ids.indexOf(b)));
        assertThat(split.heldOut()).isSortedAccordingTo((a, b) -> Integer.compare(ids.indexOf(a), ids.indexOf(b)));
    }

    @Test
    void seedChangesSplit() {
        List<String> ids = ids(1_000);

        Splits.Split<String> first = Splits.byKey(ids, Function.identity(), 0.2, 1);
        Splits.Split<String> second = Splits.byKey(ids, Function.identity(), 0.2, 2);

        assertThat(second.heldOut()).isNotEqualTo(first.heldOut());
    }

    @Test
    void edgeFractionsPutAllOnOneSide() {
        List<String> ids = ids(100);

        assertThat(Splits.byKey(ids, Function.identity(), 0.0, 5).heldOut()).isEmpty();
        assertThat(Splits.byKey(ids, Function.identity(), 1.0, 5).train()).isEmpty();
    }

    @Test
    void pairsSplitById() {
        PreferencePair pair = new PreferencePair("a", List.of(Turn.user("Q")), "x", "y", 1.0, null);

        Splits.Split<PreferencePair> split = Splits.pairs(List.of(pair, pair), 0.5, 42);

        // unitHash("a", 42) = 0.617 is not below 0.5, so both copies are in train.
        assertThat(split.train()).hasSize(2);
        assertThat(split.heldOut()).isEmpty();
        assertThat(Splits.isHeldOut("a", 0.62, 42)).isTrue();
    }

    @Test
    void invalidFractionIsRejected() {
        assertThatThrownBy(() -> Splits.byKey(ids(1), Function.identity(), 1.5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> Splits.isHeldOut("a", Double.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void nullKeyIsRejected() {
        assertThatThrownBy(() -> Splits.byKey(List.of("x"), id -> null, 0.5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 0");
    }

    private static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Integer.toString(i));
        }
        return ids;
    }
}
