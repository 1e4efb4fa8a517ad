package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RlooAdvantagesTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private double[] vectorized(double[] rewards, boolean[] ended, int[] groups) {
        float[] flags = new float[ended.length];
        for (int i = 0; i < ended.length; i++) {
            flags[i] = ended[i] ? 1f : 0f;
        }
        NDArray result = RlooAdvantages.vectorized(manager.create(rewards), manager.create(flags), groups);
        return result.toDoubleArray();
    }

    @Test
    void fourEndedSamples() {
        double[] rewards = {1, 2, 3, 4};
        boolean[] ended = {true, true, true, true};
        int[] groups = {4};

        double[] loop = RlooAdvantages.loop(rewards, ended, groups);
        double[] vectorized = vectorized(rewards, ended, groups);

        // k / (k - 1) * (r - mean) = 4/3 * ([1, 2, 3, 4] - 2.5).
        assertThat(loop).containsExactly(new double[] {-2, -2.0 / 3, 2.0 / 3, 2}, within(1e-12));
        assertThat(vectorized).containsExactly(loop);
    }

    @Test
    void twoGroupsOfDifferentSizes() {
        double[] rewards = {1, 3, 0, 0, 6};
        boolean[] ended = {true, true, true, true, true};
        int[] groups = {2, 3};

        double[] loop = RlooAdvantages.loop(rewards, ended, groups);
        double[] vectorized = vectorized(rewards, ended, groups);

        assertThat(loop).containsExactly(-2, 2, -3, -3, 6);
        assertThat(vectorized).containsExactly(loop);
    }

    @Test
    void oneEndedGivesZeros() {
        double[] rewards = {1, 2, 3, 4};
        boolean[] ended = {false, true, false, false};
        int[] groups = {4};

        double[] loop = RlooAdvantages.loop(rewards, ended, groups);
        double[] vectorized = vectorized(rewards, ended, groups);

        assertThat(loop).containsExactly(0, 0, 0, 0);
        assertThat(vectorized).containsExactly(0, 0, 0, 0);
    }

    @Test
    void noneEndedGivesZeros() {
        double[] rewards = {5, -1};
        boolean[] ended = {false, false};

        assertThat(RlooAdvantages.loop(rewards, ended, new int[] {2})).containsExactly(0, 0);
        assertThat(vectorized(rewards, ended, new int[] {2})).containsExactly(0, 0);
    }

    @Test
    void truncatedSampleLeftOutOfBaselines() {
        // Sample 2 was truncated: baselines of 0 and 1 use only the other ended sample and 3.
        double[] rewards = {1, 2, 100, 3};
        boolean[] ended = {true, true, false, true};
        int[] groups = {4};

        double[] loop = RlooAdvantages.loop(rewards, ended, groups);
        double[] vectorized = vectorized(rewards, ended, groups);

        // 1 - (2 + 3) / 2 = -1.5; 2 - (1 + 3) / 2 = 0; 100 - (1 + 2 + 3) / 3 = 98; 3 - (1 + 2) / 2 = 1.5.
        assertThat(loop).containsExactly(-1.5, 0, 98, 1.5);
        assertThat(vectorized).containsExactly(loop);
    }

    @Test
    void groupsAreIndependent() {
        // The first group has one ended sample (zeros); the second is a normal pair.
        double[] rewards = {7, 8, 1, 3};
        boolean[] ended = {true, false, true, true};
        int[] groups = {2, 2};

        double[] loop = RlooAdvantages.loop(rewards, ended, groups);

        assertThat(loop).containsExactly(0, 0, -2, 2);
        assertThat(vectorized(rewards, ended, groups)).containsExactly(loop);
    }

    @Test
    void loopAndVectorizedAgreeOnRandomInput() {
        Random random = new Random(3);
        int[] groups = {2, 3, 4, 5, 2, 6};
        double[] rewards = new double[22];
        boolean[] ended = new boolean[22];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = random.nextGaussian() * 3;
            ended[i] = random.nextDouble() < 0.7;
        }

        double[] loop = RlooAdvantages.loop(rewards, ended, groups);
        double[] vectorized = vectorized(rewards, ended, groups);

        // Float64 on both sides; the two sum the same numbers in a different order.
        assertThat(vectorized).containsExactly(loop, within(1e-12));
    }

    @Test
    void vectorizedKeepsFloat32() {
        NDArray rewards = manager.create(new float[] {1, 2, 3, 4});
        NDArray ended = manager.ones(new Shape(4));

        float[] advantages = RlooAdvantages.vectorized(rewards, ended, new int[] {4}).toFloatArray();

        assertThat(advantages).containsExactly(new float[] {-2f, -2f / 3, 2f / 3, 2f}, within(1e-6f));
    }

    @Test
    void groupOfOneIsRejected() {
        assertThatThrownBy(() -> RlooAdvantages.loop(new double[] {5}, new boolean[] {true}, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 samples per prompt")
                .hasMessageContaining("group 0 has 1");
        assertThatThrownBy(() -> RlooAdvantages.vectorized(manager.create(new float[] {5}),
                manager.create(new float[] {1}), new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 0 has 1");
    }

    @Test
    void oneSamplePerPromptIsRejected() {
        assertThatThrownBy(() -> RlooAdvantages.requireSamplesPerPrompt(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1");
    }

    @Test
    void groupSizesMustCoverSamples() {
        assertThatThrownBy(() -> RlooAdvantages.loop(new double[] {1, 2, 3}, new boolean[3], new int[] {2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add up to 2 but there are 3 samples");
    }

    @Test
    void reinforceLossAveragesOverTokens() {
        NDArray logProbs = manager.create(new float[] {-1f, -2f, -0.5f, -9f}, new Shape(2, 2));
        NDArray advantages = manager.create(new float[] {2f, -1f});
        NDArray mask = manager.create(new float[] {1, 1, 1, 0}, new Shape(2, 2));

        float loss = ReinforceLoss.mean(logProbs, advantages, mask).getFloat();

        // Tokens: -(-1)(2) = 2, -(-2)(2) = 4, -(-0.5)(-1) = -0.5; the padded token is left out.
        assertThat(loss).isCloseTo((2f + 4f - 0.5f) / 3, within(1e-6f));
    }
}
