package org.rlhf4j.algorithms.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.PaddingSide;

class RegressionBatchTest {

    private static final EncodedRated SHORT = new EncodedRated("s", new int[] {1, 5, 2},
            new float[] {3, 0}, new float[] {1, 0});
    private static final EncodedRated LONG = new EncodedRated("l", new int[] {1, 6, 7, 8, 2},
            new float[] {1, 2}, new float[] {1, 1});

    @Test
    void rightPaddingFillsAfterTokens() {
        RegressionBatch batch = RegressionBatch.of(List.of(SHORT, LONG), PaddingSide.RIGHT, 0);

        assertThat(batch.length()).isEqualTo(5);
        assertThat(batch.ids()).containsExactly(1, 5, 2, 0, 0, 1, 6, 7, 8, 2);
        assertThat(batch.mask()).containsExactly(1, 1, 1, 0, 0, 1, 1, 1, 1, 1);
        assertThat(batch.labels()).containsExactly(3, 0, 1, 2);
        assertThat(batch.labelMask()).containsExactly(1, 0, 1, 1);
        assertThat(batch.labelledCount()).isEqualTo(3);
        assertThat(batch.exampleIds()).containsExactly("s", "l");
    }

    @Test
    void leftPaddingFillsBeforeTokens() {
        RegressionBatch batch = RegressionBatch.of(List.of(SHORT, LONG), PaddingSide.LEFT, 9);

        assertThat(batch.ids()).containsExactly(9, 9, 1, 5, 2, 1, 6, 7, 8, 2);
        assertThat(batch.mask()).containsExactly(0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    }

    @Test
    void differentSlotCountsAreRejected() {
        EncodedRated three = new EncodedRated("t", new int[] {1, 2}, new float[] {1, 1, 1}, new float[] {1, 0, 0});

        assertThatThrownBy(() -> RegressionBatch.of(List.of(SHORT, three), PaddingSide.RIGHT, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Example t has 3 slots but example s has 2");
    }

    @Test
    void exampleWithoutLabelIsRejected() {
        assertThatThrownBy(() -> new EncodedRated("e", new int[] {1, 2}, new float[] {1}, new float[] {0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Record e has no labelled slot");
    }
}
