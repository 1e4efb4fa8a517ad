package org.rlhf4j.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.evaluation.plot.LinePlot;
import org.rlhf4j.evaluation.plot.TrainingCurves;

/**
 * Writer of the reports of a policy run into its output folder: {@code metrics.json},
 * {@code steps.jsonl} with one line per step, and the per-step plots. Online runs get
 * {@code reward.png} and {@code kl.png}, DPO-family runs {@code reward.png} (the implicit rewards of
 * the chosen and rejected responses) and {@code loss.png}.
 */
final class PolicyFiles {

    /** Name of the metrics file. */
    static final String METRICS_FILE = "metrics.json";
    /** Name of the per-step file. */
    static final String STEPS_FILE = "steps.jsonl";

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();
    private static final Gson COMPACT = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private PolicyFiles() {}

    /**
     * Writes every report of a run.
     *
     * @param folder the output folder
     * @param result the run's metrics and steps
     * @param offline true for a DPO-family run, false for PPO or REINFORCE
     */
    static void write(Path folder, PolicyResult result, boolean offline) throws IOException {
        writeMetrics(folder, result.metrics());
        StringBuilder lines = new StringBuilder();
        for (Map<String, Object> step : result.steps()) {
            lines.append(COMPACT.toJson(step)).append('\n');
        }
        AtomicFiles.writeString(folder.resolve(STEPS_FILE), lines.toString());
        if (result.steps().isEmpty()) {
            return;
        }
        if (offline) {
            TrainingCurves.writeLoss(folder, column(result, "loss"));
            LinePlot.builder().title("Implicit reward of the training pairs").xLabel("Step").yLabel("beta * log-ratio")
                    .addSeries("chosen", column(result, "chosen_reward"))
                    .addSeries("rejected", column(result, "rejected_reward"))
                    .build().writePng(folder.resolve("reward.png"));
            return;
        }
        LinePlot.builder().title("Mean reward of the step's samples").xLabel("Step").yLabel("Reward")
                .addSeries("reward", column(result, "reward"))
                .build().writePng(folder.resolve("reward.png"));
        LinePlot.builder().title("KL to the reference (" + result.metrics().get("kl_estimator") + ")")
                .xLabel("Step").yLabel("KL per token (nats)")
                .addSeries("kl per token", column(result, "kl_per_token"))
                .build().writePng(folder.resolve("kl.png"));
    }

    /** Writes {@code metrics.json}, replacing an earlier version atomically. */
    static void writeMetrics(Path folder, Map<String, Object> metrics) throws IOException {
        AtomicFiles.writeString(folder.resolve(METRICS_FILE), PRETTY.toJson(metrics) + "\n");
    }

    private static List<Double> column(PolicyResult result, String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> step : result.steps()) {
            Object value = step.get(key);
            values.add(value instanceof Number number ? number.doubleValue() : Double.NaN);
        }
        return values;
    }
}
