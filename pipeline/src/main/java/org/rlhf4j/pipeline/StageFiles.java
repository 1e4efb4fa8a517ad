package org.rlhf4j.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.evaluation.plot.MarginHistogram;
import org.rlhf4j.evaluation.plot.TrainingCurves;

/**
 * Writer of the reports of a stage into its folder: {@code metrics.json} with the loss and accuracy
 * curves as PNG files next to it, and for every evaluation set a {@code eval-NAME} folder with its
 * own {@code metrics.json} and {@code margins.png}.
 */
final class StageFiles {

    /** Name of the metrics file in every stage and evaluation folder. */
    static final String METRICS_FILE = "metrics.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private StageFiles() {}

    /**
     * Writes a trained stage's metrics and curves.
     *
     * @param folder the stage folder
     * @param metrics the stage metrics
     * @param losses the loss of each optimizer step
     * @param accuracies the batch accuracy of each step, or an empty list when the stage has none
     */
    static void writeTraining(Path folder, Map<String, Object> metrics, List<Double> losses,
            List<Double> accuracies) throws IOException {
        AtomicFiles.writeString(folder.resolve(METRICS_FILE), GSON.toJson(metrics) + "\n");
        if (losses.isEmpty()) {
            return;
        }
        TrainingCurves.writeLoss(folder, losses);
        if (!accuracies.isEmpty()) {
            TrainingCurves.writeAccuracy(folder, accuracies);
        }
    }

    /**
     * Writes one evaluation of a stage's model into {@code <stage folder>/eval-<set>}.
     *
     * @param stageFolder the stage folder
     * @param set the evaluation set's name
     * @param report the evaluation
     * @return the evaluation folder
     */
    static Path writeEvaluation(Path stageFolder, String set, PairwiseReport report) throws IOException {
        Path folder = stageFolder.resolve("eval-" + set);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("set", set);
        metrics.put("pairs", report.pairs());
        metrics.put("correct", report.correct());
        metrics.put("ties", report.ties());
        metrics.put("accuracy", report.accuracy());
        metrics.put("mean_margin", report.meanMargin());
        AtomicFiles.writeString(folder.resolve(METRICS_FILE), GSON.toJson(metrics) + "\n");
        MarginHistogram.write(folder, report.margins());
        return folder;
    }
}
