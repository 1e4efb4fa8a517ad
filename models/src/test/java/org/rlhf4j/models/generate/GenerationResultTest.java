package org.rlhf4j.models.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GenerationResultTest {

    private static final int EOS = 2;

    /** Returns a sample cut at four new tokens, each with old log-probability -1.0 and no EOS. */
    private static GenerationResult truncatedSample() {
        return new GenerationResult(new int[] {1, 9}, new int[] {10, 11, 12, 13}, new float[] {-1f, -1f, -1f, -1f},
                new float[] {-1f, -1f, -1f, -1f}, false, true, new float[0][]);
    }

    @Test
    void truncatedSampleKeepsTokensAndSummedLogProb() {
        GenerationResult result = truncatedSample();

        assertThat(result.responseIds()).containsExactly(10, 11, 12, 13);
        assertThat(result.sumLogProbs()).isEqualTo(-4.0);
        assertThat(result.truncated()).isTrue();
        assertThat(result.endedWithEos()).isFalse();
    }

    @Test
    void rewardInputGetsEos() {
        GenerationResult result = truncatedSample();

        int[] rewardInput = result.sequenceWithEos(EOS);

        assertThat(rewardInput).containsExactly(1, 9, 10, 11, 12, 13, EOS);
        assertThat(result.responseIds()).containsExactly(10, 11, 12, 13);
        assertThat(result.sequence()).containsExactly(1, 9, 10, 11, 12, 13);
    }

    @Test
    void endedSequenceGetsNoSecondEos() {
        GenerationResult ended = new GenerationResult(new int[] {1}, new int[] {10, EOS}, new float[2], new float[2],
                true, false, new float[0][]);

        assertThat(ended.sequenceWithEos(EOS)).containsExactly(1, 10, EOS);
    }

    @Test
    void arraysAreCopied() {
        int[] response = {10, 11};
        GenerationResult result = new GenerationResult(new int[] {1}, response, new float[2], new float[2], false,
                true, new float[0][]);

        response[0] = 99;

        assertThat(result.responseIds()).containsExactly(10, 11);
    }

    @Test
    void rejectsMismatchedLengthsAndFlags() {
        assertThatThrownBy(() -> new GenerationResult(new int[] {1}, new int[] {3}, new float[2], new float[1],
                false, true, new float[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one entry per response token");
        assertThatThrownBy(() -> new GenerationResult(new int[] {1}, new int[] {3}, new float[1], new float[1],
                true, true, new float[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one of");
    }
}
