package org.rlhf4j.algorithms.policy.dpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PaddingSide;

class DpoBatchTest {

    /** Chosen: 2 prompt + 2 response tokens; rejected: 2 prompt + 3 response tokens. */
    private static final List<DpoExample> EXAMPLES = List.of(new DpoExample(
            new EncodedPair("p", new int[] {1, 5, 7, 2}, new int[] {1, 5, 8, 9, 2}, 1.0, null), 2, 2));

    @Test
    void rightPaddedMaskMarksShiftedResponseColumns() {
        // Length 5, so 4 shifted columns; token t is predicted in column t - 1.
        float[] mask = DpoBatch.targetMask(EXAMPLES, 5, PaddingSide.RIGHT);

        assertThat(mask).containsExactly(0f, 1f, 1f, 0f, 0f, 1f, 1f, 1f);
    }

    @Test
    void leftPaddedMaskFollowsTheTokens() {
        float[] mask = DpoBatch.targetMask(EXAMPLES, 5, PaddingSide.LEFT);

        assertThat(mask).containsExactly(0f, 0f, 1f, 1f, 0f, 1f, 1f, 1f);
    }
}
