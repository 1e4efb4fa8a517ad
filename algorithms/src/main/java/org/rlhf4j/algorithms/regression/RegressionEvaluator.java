package org.rlhf4j.algorithms.regression;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.rlhf4j.algorithms.eval.PairwiseEvaluator;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.models.reward.RewardModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a regression reward model: the root mean squared error of each attribute over the
 * slots the examples label, and the strict pairwise accuracy of the reward slot on preference
 * pairs.
 *
 * <p>Errors are in the rating units of the data: predictions and labels are mapped back through
 * each slot's scale and offset, so an RMSE of 0.5 on HelpSteer2 means half a point on the 0..4
 * scale whatever the targets' scaling. Examples are sorted by length and scored in batches. Each
 * batch runs in a sub-manager of the model's manager that is closed after the batch, and no
 * gradient collector is opened.
 */
public final class RegressionEvaluator {

    private static final Logger logger = LoggerFactory.getLogger(RegressionEvaluator.class);

    private final RewardModel model;
    private final RegressionTargets targets;
    private final int batchSize;
    private final PaddingSide paddingSide;
    private final int padTokenId;

    /**
     * Creates an evaluator.
     *
     * @param model the model to evaluate; it stays owned by the caller
     * @param targets the slots the model was trained for; their count must equal the head outputs
     * @param batchSize sequences per forward pass, at least 1 (pairs per pass for
     *     {@link #evaluatePairs})
     * @param paddingSide where batches are padded
     * @param padTokenId token id written at padded positions, at least 0
     * @throws IllegalArgumentException when a count is out of range or the head has another number
     *     of outputs than {@code targets} has slots
     */
    public RegressionEvaluator(RewardModel model, RegressionTargets targets, int batchSize, PaddingSide paddingSide,
            int padTokenId) {
        this.model = Objects.requireNonNull(model, "model");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.paddingSide = Objects.requireNonNull(paddingSide, "paddingSide");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (padTokenId < 0) {
            throw new IllegalArgumentException("padTokenId must be >= 0, got " + padTokenId);
        }
        if (model.head().outputs() != targets.size()) {
            throw new IllegalArgumentException("The model's " + model.head() + " has " + model.head().outputs()
                    + " outputs but the targets have " + targets.size() + " slots " + targets.attributes());
        }
        this.batchSize = batchSize;
        this.padTokenId = padTokenId;
    }

    /**
     * Scores every example and computes the error of each labelled attribute.
     *
     * @param examples the examples, at least one, encoded with these targets
     * @return per-attribute RMSE and the predictions in input order
     */
    public RegressionReport evaluate(List<EncodedRated> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("No examples to evaluate");
        }
        long start = System.nanoTime();
        float[][] predictions = new float[examples.size()][];
        int[] order = IntStream.range(0, examples.size()).boxed()
                .sorted(Comparator.comparingInt(i -> examples.get(i).length()))
                .mapToInt(Integer::intValue).toArray();
        for (int from = 0; from < order.length; from += batchSize) {
            scoreBatch(examples, order, from, Math.min(from + batchSize, order.length), predictions);
        }
        RegressionReport report = summarize(targets, examples, predictions);
        for (AttributeReport attribute : report.attributes()) {
            logger.info("Evaluated {} on {} examples in {} s: RMSE {} (mean rating {}, mean prediction {})",
                    attribute.attribute(), attribute.count(),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9),
                    format(attribute.rmse()), format(attribute.meanRating()), format(attribute.meanPrediction()));
        }
        return report;
    }

    /**
     * Scores preference pairs by the reward slot and reports strict accuracy, as
     * {@link PairwiseEvaluator} does.
     *
     * @param pairs the pairs, at least one
     * @return accuracy, ties, margins and scores of the reward slot
     */
    public PairwiseReport evaluatePairs(List<EncodedPair> pairs) {
        return new PairwiseEvaluator(model, batchSize, paddingSide, padTokenId).evaluate(pairs);
    }

    private void scoreBatch(List<EncodedRated> examples, int[] order, int from, int to, float[][] predictions) {
        List<EncodedRated> batchExamples = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
            batchExamples.add(examples.get(order[k]));
        }
        RegressionBatch batch = RegressionBatch.of(batchExamples, paddingSide, padTokenId);
        if (batch.slots() != targets.size()) {
            throw new IllegalArgumentException("Examples have " + batch.slots() + " label slots but the targets have "
                    + targets.size());
        }
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray outputs = model.forward(batch.idsArray(scope), batch.maskArray(scope));
            float[] values = outputs.toType(DataType.FLOAT32, false).toFloatArray();
            if (values.length != batch.rows() * batch.slots()) {
                throw new IllegalStateException("The reward model returned " + values.length + " values for "
                        + batch.rows() + " sequences of " + batch.slots() + " slots");
            }
            for (int row = 0; row < batch.rows(); row++) {
                float[] ratings = new float[batch.slots()];
                for (int slot = 0; slot < batch.slots(); slot++) {
                    RegressionTargets.Target target = targets.targets().get(slot);
                    ratings[slot] = (float) target.toRating(values[row * batch.slots() + slot]);
                }
                predictions[order[from + row]] = ratings;
            }
        }
    }

    /**
     * Builds the report from predictions that are already in rating units.
     *
     * @param targets the slots, for names and scaling
     * @param examples the scored examples, for labels and ids
     * @param predictions the predictions in rating units, {@code [examples][slots]}
     * @return the report
     */
    public static RegressionReport summarize(RegressionTargets targets, List<EncodedRated> examples,
            float[][] predictions) {
        if (predictions.length != examples.size()) {
            throw new IllegalArgumentException("Got " + examples.size() + " examples but " + predictions.length
                    + " predictions");
        }
        List<AttributeReport> attributes = new ArrayList<>();
        for (int slot = 0; slot < targets.size(); slot++) {
            double[] sums = new double[4];
            for (int i = 0; i < examples.size(); i++) {
                EncodedRated example = examples.get(i);
                if (example.mask()[slot] == 0) {
                    continue;
                }
                double rating = targets.targets().get(slot).toRating(example.labels()[slot]);
                double error = predictions[i][slot] - rating;
                sums[0]++;
                sums[1] += error * error;
                sums[2] += rating;
                sums[3] += predictions[i][slot];
            }
            if (sums[0] > 0) {
                attributes.add(new AttributeReport(targets.attributes().get(slot), slot, (int) sums[0],
                        Math.sqrt(sums[1] / sums[0]), sums[2] / sums[0], sums[3] / sums[0]));
            }
        }
        List<String> ids = examples.stream().map(EncodedRated::id).toList();
        float[][] copy = new float[predictions.length][];
        for (int i = 0; i < predictions.length; i++) {
            copy[i] = predictions[i].clone();
        }
        return new RegressionReport(examples.size(), attributes, ids, copy);
    }

    /**
     * Computes, per attribute, the RMSE on {@code test} of always predicting the mean rating of
     * {@code train}, the baseline a regression model has to beat.
     *
     * @param targets the slots, for names and scaling
     * @param train the examples whose labels give the means
     * @param test the examples to score the constant prediction on
     * @return RMSE in rating units per attribute labelled in both lists, in slot order
     */
    public static Map<String, Double> meanBaselineRmse(RegressionTargets targets, List<EncodedRated> train,
            List<EncodedRated> test) {
        Map<String, Double> result = new LinkedHashMap<>();
        for (int slot = 0; slot < targets.size(); slot++) {
            RegressionTargets.Target target = targets.targets().get(slot);
            double[] trainStats = labelSums(train, slot, target, 0);
            if (trainStats[0] == 0) {
                continue;
            }
            double mean = trainStats[1] / trainStats[0];
            double[] testStats = labelSums(test, slot, target, mean);
            if (testStats[0] > 0) {
                result.put(target.attribute(), Math.sqrt(testStats[2] / testStats[0]));
            }
        }
        return result;
    }

    /** Returns the count, sum of ratings and sum of squared differences from {@code center} of a slot. */
    private static double[] labelSums(List<EncodedRated> examples, int slot, RegressionTargets.Target target,
            double center) {
        double[] sums = new double[3];
        for (EncodedRated example : examples) {
            if (example.mask()[slot] != 0) {
                double rating = target.toRating(example.labels()[slot]);
                sums[0]++;
                sums[1] += rating;
                sums[2] += (rating - center) * (rating - center);
            }
        }
        return sums;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
