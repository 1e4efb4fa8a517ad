package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Advantages of REINFORCE with a leave-one-out baseline (RLOO).
 *
 * <p>Samples come in groups, one group per prompt, stored one group after the other. The baseline
 * of sample {@code i} is the mean of the rewards of the <em>other</em> samples of its group that
 * ended with EOS, and its advantage is {@code reward_i - baseline_i}. When every sample ended this
 * is {@code k / (k - 1) * (reward_i - groupMean)}. Truncated samples never enter another sample's
 * baseline, but they get an advantage like the others.
 *
 * <p>When at most one sample of a group ended, every advantage of that group is 0. This matches
 * NeMo-Aligner, which sets the baseline equal to the reward in that case. For a truncated sample
 * in a group where two or more ended, NeMo-Aligner divides the sum of the ended rewards by the
 * number ended minus one; here the divisor is the number of samples averaged (all that ended), so
 * the baseline is a true mean. Ended samples get the same advantage in both.
 *
 * <p>A group of one sample has no other sample to compare with, so it is rejected instead of
 * silently giving a zero advantage. {@link #loop} and {@link #vectorized} implement the same rule
 * and give the same results.
 */
public final class RlooAdvantages {

    private RlooAdvantages() {}

    /**
     * Checks a number of samples per prompt before a run starts.
     *
     * @param samplesPerPrompt the number of responses sampled for each prompt
     * @throws IllegalArgumentException when it is below 2
     */
    public static void requireSamplesPerPrompt(int samplesPerPrompt) {
        if (samplesPerPrompt < 2) {
            throw new IllegalArgumentException("RLOO needs at least 2 samples per prompt for its leave-one-out"
                    + " baseline, got " + samplesPerPrompt + "; set samplesPerPrompt to 2 or more (default 4)");
        }
    }

    /**
     * Returns group sizes for {@code prompts} groups of {@code samplesPerPrompt} samples.
     *
     * @param prompts the number of prompts, at least 1
     * @param samplesPerPrompt samples per prompt, at least 2
     * @return the group sizes
     */
    public static int[] uniformGroups(int prompts, int samplesPerPrompt) {
        requireSamplesPerPrompt(samplesPerPrompt);
        if (prompts < 1) {
            throw new IllegalArgumentException("prompts must be >= 1, got " + prompts);
        }
        int[] sizes = new int[prompts];
        Arrays.fill(sizes, samplesPerPrompt);
        return sizes;
    }

    /**
     * Checks that the groups cover exactly {@code samples} samples and have at least 2 each.
     *
     * @param groupSizes number of samples of each group, in storage order
     * @param samples the number of samples
     * @throws IllegalArgumentException when a group has fewer than 2 samples or the sizes do not
     *     add up to {@code samples}
     */
    public static void requireGroups(int[] groupSizes, int samples) {
        long total = 0;
        for (int group = 0; group < groupSizes.length; group++) {
            if (groupSizes[group] < 2) {
                throw new IllegalArgumentException("RLOO needs at least 2 samples per prompt, but group " + group
                        + " has " + groupSizes[group] + "; sample each prompt 2 or more times");
            }
            total += groupSizes[group];
        }
        if (total != samples) {
            throw new IllegalArgumentException("group sizes " + Arrays.toString(groupSizes) + " add up to " + total
                    + " but there are " + samples + " samples");
        }
    }

    /**
     * Computes the advantages with plain loops in double precision.
     *
     * @param rewards the (shaped) reward of each sample
     * @param ended whether each sample ended with EOS
     * @param groupSizes number of samples of each group, in storage order
     * @return the advantage of each sample
     * @throws IllegalArgumentException when the lengths disagree or a group has fewer than 2 samples
     */
    public static double[] loop(double[] rewards, boolean[] ended, int[] groupSizes) {
        if (ended.length != rewards.length) {
            throw new IllegalArgumentException("ended has " + ended.length + " entries but rewards has "
                    + rewards.length);
        }
        requireGroups(groupSizes, rewards.length);
        double[] advantages = new double[rewards.length];
        int start = 0;
        for (int size : groupSizes) {
            int endedCount = 0;
            for (int j = start; j < start + size; j++) {
                endedCount += ended[j] ? 1 : 0;
            }
            if (endedCount > 1) {
                for (int i = start; i < start + size; i++) {
                    advantages[i] = rewards[i] - leaveOneOutMean(rewards, ended, start, size, i);
                }
            }
            start += size;
        }
        return advantages;
    }

    private static double leaveOneOutMean(double[] rewards, boolean[] ended, int start, int size, int left) {
        double sum = 0;
        int count = 0;
        for (int j = start; j < start + size; j++) {
            if (j != left && ended[j]) {
                sum += rewards[j];
                count++;
            }
        }
        return sum / count;
    }

    /**
     * Computes the advantages with array operations on the rewards' device.
     *
     * <p>A membership matrix {@code M[g, i] = 1} when sample {@code i} is in group {@code g} gives
     * each sample the sum and the count of the ended rewards of its group; the sample's own ended
     * reward is then taken out of both.
     *
     * @param rewards the (shaped) reward of each sample, float32 or float64, shape [N]
     * @param ended 1 where the sample ended with EOS, any numeric or boolean type, shape [N]
     * @param groupSizes number of samples of each group, in storage order
     * @return the advantages, shape [N], of the type of {@code rewards}, attached to its manager
     * @throws IllegalArgumentException when the shapes disagree or a group has fewer than 2 samples
     */
    public static NDArray vectorized(NDArray rewards, NDArray ended, int[] groupSizes) {
        Shape shape = rewards.getShape();
        if (shape.dimension() != 1 || !ended.getShape().equals(shape)) {
            throw new IllegalArgumentException("rewards and ended must both have shape [samples], got " + shape
                    + " and " + ended.getShape());
        }
        int samples = (int) shape.get(0);
        requireGroups(groupSizes, samples);
        DataType type = rewards.getDataType();
        NDArray membership = membership(rewards.getManager(), groupSizes, samples).toType(type, false);
        NDArray endedFlags = ended.toType(type, false).gt(0).toType(type, false);
        NDArray endedRewards = NDArrays.where(endedFlags.gt(0), rewards, rewards.zerosLike());

        NDArray groupSums = membership.matMul(endedRewards.reshape(samples, 1));
        NDArray groupCounts = membership.matMul(endedFlags.reshape(samples, 1));
        NDArray sampleGroupSums = membership.transpose().matMul(groupSums).reshape(samples);
        NDArray sampleGroupCounts = membership.transpose().matMul(groupCounts).reshape(samples);

        NDArray othersCounts = sampleGroupCounts.sub(endedFlags);
        NDArray baselines = sampleGroupSums.sub(endedRewards).div(othersCounts.maximum(1f));
        NDArray advantages = rewards.sub(baselines);
        return NDArrays.where(sampleGroupCounts.gt(1f), advantages, rewards.zerosLike());
    }

    private static NDArray membership(NDManager manager, int[] groupSizes, int samples) {
        float[] matrix = new float[groupSizes.length * samples];
        int start = 0;
        for (int group = 0; group < groupSizes.length; group++) {
            for (int i = start; i < start + groupSizes[group]; i++) {
                matrix[group * samples + i] = 1f;
            }
            start += groupSizes[group];
        }
        return manager.create(matrix, new Shape(groupSizes.length, samples));
    }
}
