package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.reward.RewardModel;

/**
 * A {@link RewardSource} backed by a {@link RewardModel} that reads the same token ids as the
 * policy.
 *
 * <p>The reward model's input is the prompt followed by the response as sampled. A truncated
 * response gets {@code eosId} appended to that input, so the model always reads its score at an
 * EOS; the sample itself is not changed. Inputs are padded on the right with id 0 (masked) and
 * scored in batches of {@code batchSize}, each in a sub-manager of the model's manager that is
 * closed afterwards. Scoring records no gradients when called outside a gradient collector.
 */
public final class RewardModelSource implements RewardSource {

    /** Default number of sequences scored in one forward pass: 16. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private final String name;
    private final RewardModel model;
    private final int eosId;
    private final int batchSize;

    /**
     * Creates the source.
     *
     * @param name the name under which its rewards are logged, matching {@link Plugin#NAME_PATTERN}
     * @param model the reward model; it stays owned by the caller
     * @param eosId the end-of-sequence id appended to the input of truncated responses
     * @param batchSize sequences per forward pass, at least 1
     */
    public RewardModelSource(String name, RewardModel model, int eosId, int batchSize) {
        if (name == null || !name.matches(Plugin.NAME_PATTERN)) {
            throw new IllegalArgumentException("reward source name '" + name + "' must match " + Plugin.NAME_PATTERN);
        }
        if (eosId < 0) {
            throw new IllegalArgumentException("eosId must be a token id, got " + eosId);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.name = name;
        this.model = Objects.requireNonNull(model, "model");
        this.eosId = eosId;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Returns the ids the reward model reads for a sample: prompt and response, plus
     * {@code eosId} when the response was truncated.
     *
     * @param sample the sample
     * @return a new array
     */
    public int[] modelInput(GenerationResult sample) {
        return sample.truncated() ? sample.sequenceWithEos(eosId) : sample.sequence();
    }

    @Override
    public double[] score(List<GenerationResult> samples) {
        double[] scores = new double[samples.size()];
        for (int from = 0; from < samples.size(); from += batchSize) {
            List<GenerationResult> chunk = samples.subList(from, Math.min(samples.size(), from + batchSize));
            float[] chunkScores = scoreChunk(chunk);
            for (int i = 0; i < chunkScores.length; i++) {
                scores[from + i] = chunkScores[i];
            }
        }
        return scores;
    }

    private float[] scoreChunk(List<GenerationResult> chunk) {
        int rows = chunk.size();
        int[][] inputs = new int[rows][];
        int width = 0;
        for (int i = 0; i < rows; i++) {
            inputs[i] = modelInput(chunk.get(i));
            width = Math.max(width, inputs[i].length);
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < inputs[i].length; t++) {
                ids[i * width + t] = inputs[i][t];
                mask[i * width + t] = 1;
            }
        }
        try (NDManager scope = model.manager().newSubManager()) {
            Shape shape = new Shape(rows, width);
            NDArray rewards = model.reward(scope.create(ids, shape), scope.create(mask, shape));
            return rewards.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
