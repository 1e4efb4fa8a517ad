package org.rlhf4j.models.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {

    /** Probabilities 0.5, 0.3 and 0.2. */
    private static final float[] LOGITS = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};

    private static Set<Integer> drawnTokens(SamplingConfig config, int draws) {
        TokenSampler sampler = new TokenSampler(config);
        SplittableRandom random = new SplittableRandom(3);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < draws; i++) {
            seen.add(sampler.draw(LOGITS, random).token());
        }
        return seen;
    }

    @Test
    void greedyTakesArgmaxWithPolicyLogProb() {
        TokenSampler.Draw draw = new TokenSampler(SamplingConfig.greedy(1)).draw(LOGITS, new SplittableRandom(1));

        assertThat(draw.token()).isEqualTo(0);
        assertThat(draw.logProb()).isCloseTo(Math.log(0.5), within(1e-6));
        assertThat(draw.samplingLogProb()).isEqualTo(0.0);
    }

    @Test
    void greedyTieGoesToLowerId() {
        float[] tied = {0f, 2f, 2f};

        assertThat(TokenSampler.argMax(tied)).isEqualTo(1);
    }

    @Test
    void topPKeepsSmallestSetReachingP() {
        // 0.5 < 0.6 <= 0.5 + 0.3, so tokens 0 and 1 stay and renormalize to 0.625 and 0.375.
        SamplingConfig config = SamplingConfig.builder().topP(0.6).maxNewTokens(1).build();
        TokenSampler sampler = new TokenSampler(config);
        SplittableRandom random = new SplittableRandom(5);

        for (int i = 0; i < 200; i++) {
            TokenSampler.Draw draw = sampler.draw(LOGITS, random);
            assertThat(draw.token()).isIn(0, 1);
            double expected = draw.token() == 0 ? Math.log(0.625) : Math.log(0.375);
            assertThat(draw.samplingLogProb()).isCloseTo(expected, within(1e-6));
            assertThat(draw.logProb()).isCloseTo(draw.token() == 0 ? Math.log(0.5) : Math.log(0.3), within(1e-6));
        }
    }

    @Test
    void topKOneAlwaysTakesArgmax() {
        SamplingConfig config = SamplingConfig.builder().topK(1).maxNewTokens(1).build();

        assertThat(drawnTokens(config, 100)).containsExactly(0);
    }

    @Test
    void topKTwoNeverTakesThirdToken() {
        SamplingConfig config = SamplingConfig.builder().topK(2).maxNewTokens(1).build();

        assertThat(drawnTokens(config, 300)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void temperatureSharpensSamplingDistribution() {
        // At temperature 0.5 the weights are p^2: 0.25, 0.09 and 0.04, which sum to 0.38.
        SamplingConfig config = SamplingConfig.builder().temperature(0.5).maxNewTokens(1).build();
        TokenSampler sampler = new TokenSampler(config);
        SplittableRandom random = new SplittableRandom(9);
        double[] expected = {Math.log(0.25 / 0.38), Math.log(0.09 / 0.38), Math.log(0.04 / 0.38)};

        for (int i = 0; i < 100; i++) {
            TokenSampler.Draw draw = sampler.draw(LOGITS, random);
            assertThat(draw.samplingLogProb()).isCloseTo(expected[draw.token()], within(1e-6));
        }
    }

    @Test
    void samplingFrequenciesFollowProbabilities() {
        TokenSampler sampler = new TokenSampler(SamplingConfig.builder().maxNewTokens(1).build());
        SplittableRandom random = new SplittableRandom(11);
        int[] counts = new int[3];
        int draws = 20_000;

        for (int i = 0; i < draws; i++) {
            counts[sampler.draw(LOGITS, random).token()]++;
        }

        assertThat(counts[0] / (double) draws).isCloseTo(0.5, within(0.02));
        assertThat(counts[1] / (double) draws).isCloseTo(0.3, within(0.02));
        assertThat(counts[2] / (double) draws).isCloseTo(0.2, within(0.02));
    }

    @Test
    void rejectsNonFiniteLogits() {
        TokenSampler sampler = new TokenSampler(SamplingConfig.greedy(1));

        assertThatThrownBy(() -> sampler.draw(new float[] {0f, Float.NaN}, new SplittableRandom(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("logit 1 is NaN");
    }
}
