package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.models.reward.RewardModel;

class RewardSourcesTest {

    private static final int EOS = 2;

    private static GenerationResult sample(int[] prompt, int[] response, boolean ended) {
        float[] logProbs = new float[response.length];
        Arrays.fill(logProbs, -1f);
        return new GenerationResult(prompt, response, logProbs, logProbs, ended, !ended, new float[0][]);
    }

    private static RewardSource constant(String name, double... values) {
        return new RewardSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double[] score(List<GenerationResult> samples) {
                return values.clone();
            }
        };
    }

    @Test
    void truncatedSampleGetsEosInModelInputOnly() {
        // Cut at the limit after [a, b, c, d], each with old log-prob -1 (case K05 of the fault list).
        GenerationResult truncated = sample(new int[] {1, 5}, new int[] {7, 8, 9, 10}, false);
        try (RecordingModel model = new RecordingModel()) {
            RewardModelSource source = new RewardModelSource("rm", model, EOS, 4);

            source.score(List.of(truncated));

            assertThat(model.inputs.get(0)).containsExactly(1, 5, 7, 8, 9, 10, EOS);
            assertThat(truncated.responseIds()).containsExactly(7, 8, 9, 10);
            assertThat(truncated.sumLogProbs()).isEqualTo(-4.0);
            assertThat(truncated.truncated()).isTrue();
        }
    }

    @Test
    void endedSampleScoredAsSampled() {
        GenerationResult ended = sample(new int[] {1, 5}, new int[] {7, EOS}, true);
        try (RecordingModel model = new RecordingModel()) {
            RewardModelSource source = new RewardModelSource("rm", model, EOS, 4);

            source.score(List.of(ended));

            assertThat(model.inputs.get(0)).containsExactly(1, 5, 7, EOS);
        }
    }

    @Test
    void rewardModelScoresInBatches() {
        List<GenerationResult> samples = List.of(sample(new int[] {1}, new int[] {3, EOS}, true),
                sample(new int[] {1, 4}, new int[] {5}, false), sample(new int[] {1}, new int[] {6, 7, EOS}, true));
        try (RecordingModel model = new RecordingModel()) {
            double[] scores = new RewardModelSource("rm", model, EOS, 2).score(samples);

            // The recording model scores a sequence by its length: 3, 4 (EOS added) and 4.
            assertThat(scores).containsExactly(3, 4, 4);
            assertThat(model.calls).isEqualTo(2);
        }
    }

    @Test
    void tokenFractionIgnoresFinalEos() {
        TokenFractionReward reward = new TokenFractionReward("words", Set.of(7, 8), EOS);
        List<GenerationResult> samples = List.of(sample(new int[] {1}, new int[] {7, 9, 8, 9, EOS}, true),
                sample(new int[] {1}, new int[] {7, 7, 9}, false), sample(new int[] {1}, new int[] {EOS}, true));

        double[] scores = reward.score(samples);

        assertThat(scores).containsExactly(0.5, 2.0 / 3, 0.0);
    }

    @Test
    void combinedRewardWeightsSources() {
        CombinedReward reward = CombinedReward.of(List.of(new WeightedReward(constant("first", 1, 2), 0.5),
                new WeightedReward(constant("second", 10, -10), -1)));

        RewardBreakdown breakdown = reward.score(List.of(sample(new int[] {1}, new int[] {3}, false),
                sample(new int[] {1}, new int[] {4}, false)));

        assertThat(breakdown.total()).containsExactly(0.5 - 10, 1 + 10);
        assertThat(breakdown.bySource().get("first")).containsExactly(1, 2);
        assertThat(breakdown.bySource().get("second")).containsExactly(10, -10);
        assertThat(breakdown.mean()).isCloseTo(0.75, within(1e-12));
        assertThat(breakdown.sourceMeans()).containsExactly(Map.entry("first", 1.5), Map.entry("second", 0.0));
    }

    @Test
    void duplicateSourceNamesRejected() {
        assertThatThrownBy(() -> CombinedReward.of(List.of(new WeightedReward(constant("rm", 1), 1),
                new WeightedReward(constant("rm", 2), 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two reward sources are named 'rm'");
    }

    @Test
    void wrongRewardCountRejected() {
        CombinedReward reward = CombinedReward.of(constant("short", 1));

        assertThatThrownBy(() -> reward.score(List.of(sample(new int[] {1}, new int[] {3}, false),
                sample(new int[] {1}, new int[] {4}, false))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 1 rewards for 2 samples");
    }

    @Test
    void sourceNameMustBePluginName() {
        assertThatThrownBy(() -> new TokenFractionReward("Bad Name", Set.of(3), EOS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad Name");
    }

    /** Records the ids of each row and scores a sequence by its number of real tokens. */
    private static final class RecordingModel implements RewardModel {

        private final NDManager manager = NDManager.newBaseManager(Device.cpu());
        private final List<int[]> inputs = new ArrayList<>();
        private int calls;

        @Override
        public RewardHeadSpec head() {
            return RewardHeadSpec.scalar();
        }

        @Override
        public NDManager manager() {
            return manager;
        }

        @Override
        public NDArray forward(NDArray ids, NDArray mask) {
            calls++;
            long[] idValues = ids.toLongArray();
            long[] maskValues = mask.toLongArray();
            int rows = (int) ids.getShape().get(0);
            int width = (int) ids.getShape().get(1);
            float[] scores = new float[rows];
            for (int row = 0; row < rows; row++) {
                List<Integer> real = new ArrayList<>();
                for (int t = 0; t < width; t++) {
                    if (maskValues[row * width + t] == 1) {
                        real.add((int) idValues[row * width + t]);
                    }
                }
                inputs.add(real.stream().mapToInt(Integer::intValue).toArray());
                scores[row] = real.size();
            }
            return ids.getManager().create(scores, new Shape(rows, 1)).toType(DataType.FLOAT32, false);
        }

        @Override
        public Map<String, NDArray> parameters() {
            return Map.of();
        }

        @Override
        public void save(Path directory) {
            throw new UnsupportedOperationException("not saved");
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
