package org.rlhf4j.algorithms.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PaddedBatch;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.models.reward.RewardModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores preference pairs with a reward model and reports strict pairwise accuracy, as RewardBench
 * does: a pair counts as correct only when {@code score(chosen) > score(rejected)}, so a tie is a
 * miss.
 *
 * <p>Scores are converted to float32 before they are compared. A reward head in bfloat16 or
 * float16 loses the low bits of close scores, which turns small margins into false ties, so
 * comparing the raw low-precision values would understate accuracy.
 *
 * <p>Pairs are sorted by length and scored in batches of {@code batchPairs} pairs, each batch in a
 * sub-manager of the model's manager that is closed after the batch. The evaluator opens no
 * gradient collector. NOTE: with the PyTorch engine, gradient recording is a per-thread setting,
 * and DJL 0.36 switches it off only on the thread that loaded the engine. On another thread the
 * forward pass still records a graph, which costs memory until the batch is freed.
 */
public final class PairwiseEvaluator {

    private static final Logger logger = LoggerFactory.getLogger(PairwiseEvaluator.class);

    private final RewardModel model;
    private final int batchPairs;
    private final PaddingSide paddingSide;
    private final int padTokenId;

    /**
     * Creates an evaluator.
     *
     * @param model the model to evaluate; it stays owned by the caller
     * @param batchPairs pairs per forward pass (each pass scores twice as many sequences), at least 1
     * @param paddingSide where batches are padded
     * @param padTokenId token id written at padded positions, at least 0
     */
    public PairwiseEvaluator(RewardModel model, int batchPairs, PaddingSide paddingSide, int padTokenId) {
        this.model = Objects.requireNonNull(model, "model");
        this.paddingSide = Objects.requireNonNull(paddingSide, "paddingSide");
        if (batchPairs < 1) {
            throw new IllegalArgumentException("batchPairs must be >= 1, got " + batchPairs);
        }
        if (padTokenId < 0) {
            throw new IllegalArgumentException("padTokenId must be >= 0, got " + padTokenId);
        }
        this.batchPairs = batchPairs;
        this.padTokenId = padTokenId;
    }

    /**
     * Scores every pair and summarizes the results.
     *
     * @param pairs the pairs to score, at least one
     * @return accuracy, ties, mean margin, per-subset results and the raw scores in input order
     */
    public PairwiseReport evaluate(List<EncodedPair> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("No pairs to evaluate");
        }
        long start = System.nanoTime();
        float[] chosen = new float[pairs.size()];
        float[] rejected = new float[pairs.size()];
        int[] order = IntStream.range(0, pairs.size()).boxed()
                .sorted(Comparator.comparingInt(i -> pairs.get(i).maxLength()))
                .mapToInt(Integer::intValue).toArray();
        for (int from = 0; from < order.length; from += batchPairs) {
            int to = Math.min(from + batchPairs, order.length);
            scoreBatch(pairs, order, from, to, chosen, rejected);
        }
        PairwiseReport report = summarize(pairs, chosen, rejected);
        logger.info("Evaluated {} pairs in {} s: accuracy {} ({} correct, {} ties), mean margin {}", report.pairs(),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9),
                String.format(Locale.ROOT, "%.4f", report.accuracy()),
                report.correct(), report.ties(), String.format(Locale.ROOT, "%.4f", report.meanMargin()));
        return report;
    }

    private void scoreBatch(List<EncodedPair> pairs, int[] order, int from, int to, float[] chosen, float[] rejected) {
        List<EncodedPair> batchPairsList = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
            batchPairsList.add(pairs.get(order[k]));
        }
        PaddedBatch batch = PaddedBatch.of(batchPairsList, paddingSide, padTokenId);
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray rewards = model.reward(batch.idsArray(scope), batch.maskArray(scope));
            float[] scores = rewards.toType(DataType.FLOAT32, false).toFloatArray();
            if (scores.length != batch.rows()) {
                throw new IllegalStateException("The reward model returned " + scores.length + " scores for "
                        + batch.rows() + " sequences");
            }
            int count = batch.pairs();
            for (int k = 0; k < count; k++) {
                chosen[order[from + k]] = scores[k];
                rejected[order[from + k]] = scores[count + k];
            }
        }
    }

    /**
     * Builds the report from scores that are already float32.
     *
     * @param pairs the scored pairs, for ids and subsets
     * @param chosen score of each chosen response
     * @param rejected score of each rejected response
     * @return the report
     */
    public static PairwiseReport summarize(List<EncodedPair> pairs, float[] chosen, float[] rejected) {
        requireSameLength(chosen, rejected);
        if (pairs.size() != chosen.length) {
            throw new IllegalArgumentException("Got " + pairs.size() + " pairs but " + chosen.length + " scores");
        }
        Map<String, int[]> subsetCounts = new HashMap<>();
        double marginSum = 0;
        List<String> ids = new ArrayList<>(pairs.size());
        for (int i = 0; i < chosen.length; i++) {
            marginSum += (double) chosen[i] - rejected[i];
            ids.add(pairs.get(i).id());
            String subset = pairs.get(i).subset();
            if (subset != null) {
                int[] counts = subsetCounts.computeIfAbsent(subset, name -> new int[3]);
                counts[0]++;
                counts[1] += chosen[i] > rejected[i] ? 1 : 0;
                counts[2] += chosen[i] == rejected[i] ? 1 : 0;
            }
        }
        Map<String, SubsetReport> subsets = new HashMap<>();
        subsetCounts.forEach((name, counts) ->
                subsets.put(name, new SubsetReport(counts[0], counts[1], counts[2], (double) counts[1] / counts[0])));
        int correct = countCorrect(chosen, rejected);
        return new PairwiseReport(chosen.length, correct, countTies(chosen, rejected), (double) correct / chosen.length,
                marginSum / chosen.length, subsets, ids, chosen.clone(), rejected.clone());
    }

    /**
     * Computes strict accuracy: the share of pairs with {@code chosen[i] > rejected[i]}. A tie
     * counts as a miss, and so does a pair with a NaN score.
     *
     * @param chosen score of each chosen response
     * @param rejected score of each rejected response, same length
     * @return the accuracy in [0, 1]
     * @throws IllegalArgumentException when the arrays are empty or differ in length
     */
    public static double strictAccuracy(float[] chosen, float[] rejected) {
        requireSameLength(chosen, rejected);
        return (double) countCorrect(chosen, rejected) / chosen.length;
    }

    /**
     * Counts the pairs whose two scores are equal.
     *
     * @param chosen score of each chosen response
     * @param rejected score of each rejected response, same length
     * @return the number of ties
     */
    public static int countTies(float[] chosen, float[] rejected) {
        requireSameLength(chosen, rejected);
        int ties = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i] == rejected[i]) {
                ties++;
            }
        }
        return ties;
    }

    private static int countCorrect(float[] chosen, float[] rejected) {
        int correct = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i] > rejected[i]) {
                correct++;
            }
        }
        return correct;
    }

    private static void requireSameLength(float[] chosen, float[] rejected) {
        if (chosen.length == 0 || chosen.length != rejected.length) {
            throw new IllegalArgumentException("Score arrays must be non-empty and of equal length, got "
                    + chosen.length + " and " + rejected.length);
        }
    }
}
