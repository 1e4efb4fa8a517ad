package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.generate.ResponseBatch;

/**
 * One batch of samples and what the updates need from the time of sampling, kept on the host:
 * the rewards and the per-token log-probabilities under the policy and the frozen reference.
 * Samples of one prompt are stored next to each other, in groups of {@code groupSizes}.
 *
 * <p>Per-token arrays are ragged, one entry per response token, so any subset of rows can be laid
 * out with {@link #batch(int[])} and {@link #tokenArray} without a padding convention of its own.
 */
final class Rollout {

    /** Id written at padded positions of forward passes; masked, so any id in the vocabulary works. */
    static final int PAD_ID = 0;

    private final List<GenerationResult> samples;
    private final RewardBreakdown rewards;
    private final float[][] oldLogProbs;
    private final float[][] referenceLogProbs;
    private final int[] groupSizes;

    Rollout(List<GenerationResult> samples, RewardBreakdown rewards, float[][] oldLogProbs,
            float[][] referenceLogProbs, int[] groupSizes) {
        this.samples = List.copyOf(samples);
        this.rewards = rewards;
        this.oldLogProbs = oldLogProbs;
        this.referenceLogProbs = referenceLogProbs;
        this.groupSizes = groupSizes.clone();
    }

    int size() {
        return samples.size();
    }

    List<GenerationResult> samples() {
        return samples;
    }

    RewardBreakdown rewards() {
        return rewards;
    }

    float[][] oldLogProbs() {
        return oldLogProbs;
    }

    float[][] referenceLogProbs() {
        return referenceLogProbs;
    }

    int[] groupSizes() {
        return groupSizes.clone();
    }

    /** Returns the indices 0 to size - 1. */
    int[] allRows() {
        int[] rows = new int[size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** Lays out the given rows for a forward pass. */
    ResponseBatch batch(int[] rows) {
        List<GenerationResult> selected = new ArrayList<>(rows.length);
        for (int row : rows) {
            selected.add(samples.get(row));
        }
        return ResponseBatch.of(selected, PAD_ID);
    }

    /** Returns 1 for samples that ended with EOS and 0 for the others, shape [rows]. */
    NDArray endedArray(NDManager manager, int[] rows) {
        float[] ended = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ended[i] = samples.get(rows[i]).endedWithEos() ? 1f : 0f;
        }
        return manager.create(ended);
    }

    /** Returns the total reward of the given rows, float32, shape [rows]. */
    NDArray totalRewardArray(NDManager manager, int[] rows) {
        float[] values = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = (float) rewards.total()[rows[i]];
        }
        return manager.create(values);
    }

    /**
     * Pads per-token host values of the given rows on the right with zeros.
     *
     * @param manager the manager of the result
     * @param perToken one array per sample, one entry per response token
     * @param rows the rows to take
     * @param width the number of columns, at least the longest selected response
     * @return float32 array, shape [rows, width]
     */
    static NDArray tokenArray(NDManager manager, float[][] perToken, int[] rows, int width) {
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            float[] values = perToken[rows[i]];
            System.arraycopy(values, 0, flat, i * width, values.length);
        }
        return manager.create(flat, new Shape(rows.length, width));
    }

    /**
     * Splits a padded [rows, width] array back into one host array per row, cut to each row's
     * response length.
     */
    static float[][] splitRows(NDArray padded, int[] responseLengths) {
        int width = (int) padded.getShape().get(1);
        float[] flat = padded.toFloatArray();
        float[][] rows = new float[responseLengths.length][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[responseLengths[i]];
            System.arraycopy(flat, i * width, rows[i], 0, responseLengths[i]);
        }
        return rows;
    }

    /** Summarizes the rollout with a KL measured elsewhere. */
    RolloutStats stats(KlMeasurement kl) {
        return new RolloutStats(size(), rewards.mean(), rewards.sourceMeans(), kl, endedFraction(),
                meanResponseLength());
    }

    /** Returns the fraction of samples that ended with EOS. */
    double endedFraction() {
        return samples.stream().filter(GenerationResult::endedWithEos).count() / (double) size();
    }

    /** Returns the mean number of response tokens per sample. */
    double meanResponseLength() {
        return samples.stream().mapToInt(GenerationResult::responseLength).average().orElse(0);
    }
}
