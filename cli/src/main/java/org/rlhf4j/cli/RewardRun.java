package org.rlhf4j.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.algorithms.checkpoint.TrainingCheckpoint;
import org.rlhf4j.algorithms.eval.PairwiseEvaluator;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.RewardTrainer;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.StepMetrics;
import org.rlhf4j.algorithms.reward.TrainingListener;
import org.rlhf4j.algorithms.reward.TrainingResult;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.data.Splits;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a scalar reward model on preference pairs and measures held-out accuracy before and after.
 * Writes {@code model/}, {@code metrics.json} and {@code steps.jsonl} into the output folder, and
 * training checkpoints into its {@code checkpoints/} folder when asked to.
 */
final class RewardRun {

    private static final Logger logger = LoggerFactory.getLogger(RewardRun.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** Name of the folder under the output folder that receives the training checkpoints. */
    static final String CHECKPOINTS_FOLDER = "checkpoints";

    private final RewardRunSettings settings;
    private final Checkpoints checkpoints;
    private final PrintWriter out;

    /**
     * Checkpoint settings of a run.
     *
     * @param every write a checkpoint every this many optimizer steps, 0 for none
     * @param keepLast number of newest checkpoints kept, at least 1
     * @param resumeFrom the output folder, checkpoint root or checkpoint of a stopped run to continue,
     *     or null to start from step 1
     */
    record Checkpoints(long every, int keepLast, Path resumeFrom) {

        /** Settings that write no checkpoints and start from step 1. */
        static final Checkpoints NONE = new Checkpoints(0, RewardTrainer.DEFAULT_KEEP_CHECKPOINTS, null);

        Checkpoints {
            if (every < 0) {
                throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + every);
            }
            if (keepLast < 1) {
                throw new IllegalArgumentException("--keep-checkpoints must be >= 1, got " + keepLast);
            }
        }
    }

    RewardRun(RewardRunSettings settings, PrintWriter out) {
        this(settings, Checkpoints.NONE, out);
    }

    RewardRun(RewardRunSettings settings, Checkpoints checkpoints, PrintWriter out) {
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.out = out;
    }

    /** Runs the job and returns the metrics that were written to {@code metrics.json}. */
    Map<String, Object> run() throws IOException {
        long started = System.nanoTime();
        // Fails before the data is read when there is nothing to resume from.
        Path resumeFrom = checkpoints.resumeFrom() == null ? null
                : TrainingCheckpoint.resolve(checkpointRoot(checkpoints.resumeFrom()));
        PluginRegistry registry = PluginDiscovery.builder().optPluginFolder(settings.pluginDir()).build().discover();
        RewardLoss loss = registry.rewardLoss(settings.lossName());
        List<PreferencePair> all = readPairs(registry, settings.dataFile(), settings.format());
        List<PreferencePair> train;
        List<PreferencePair> heldOut;
        if (settings.evalFile() == null) {
            Splits.Split<PreferencePair> split = Splits.pairs(all, settings.heldOutFraction(), settings.trainer().seed());
            train = split.train();
            heldOut = split.heldOut();
        } else {
            train = all;
            heldOut = readPairs(registry, settings.evalFile(), settings.evalFormat());
        }
        if (settings.maxTrainPairs() > 0 && train.size() > settings.maxTrainPairs()) {
            train = new ArrayList<>(train.subList(0, settings.maxTrainPairs()));
        }
        RewardTrainerConfig config = settings.trainer();
        try (LlamaRewardModel model = openModel()) {
            ChatTemplate template = ChatTemplate.forName(settings.templateName());
            PairEncoder encoder = new PairEncoder(model.tokenizer(), template, config.maxLength(), config.truncationMode());
            EncodeResult trainEncoded = encoder.encode(train);
            EncodeResult heldOutEncoded = encoder.encode(heldOut);
            requireUsable(trainEncoded, "training");
            requireUsable(heldOutEncoded, "held-out");
            out.printf("Data: %d training pairs, %d held-out pairs (dropped while encoding: train %s, held-out %s)%n",
                    trainEncoded.pairs().size(), heldOutEncoded.pairs().size(), trainEncoded.dropped(),
                    heldOutEncoded.dropped());
            out.flush();

            PairwiseEvaluator evaluator = new PairwiseEvaluator(
                    model, settings.evalBatchPairs(), config.paddingSide(), model.tokenizer().padId());
            PairwiseReport before = evaluator.evaluate(heldOutEncoded.pairs());
            out.printf("Held-out accuracy before training: %.4f (%d of %d, %d ties)%n",
                    before.accuracy(), before.correct(), before.pairs(), before.ties());
            out.flush();

            StepHistory history = new StepHistory();
            TrainingResult result;
            Path resumedFrom;
            try (RewardTrainer trainer = new RewardTrainer(model, loss, config)) {
                trainer.addListener(history);
                resumedFrom = prepareCheckpoints(trainer, resumeFrom, trainEncoded.pairs().size());
                result = trainer.train(trainEncoded.pairs());
            }
            PairwiseReport after = evaluator.evaluate(heldOutEncoded.pairs());
            out.printf("Held-out accuracy after training:  %.4f (%d of %d, %d ties)%n",
                    after.accuracy(), after.correct(), after.pairs(), after.ties());
            out.printf("Training loss: first step %.4f, last step %.4f over %d steps%n",
                    result.firstLoss(), result.lastLoss(), result.steps());

            Path modelDir = settings.outDir().resolve("model");
            model.save(modelDir);
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> metrics = metrics(trainEncoded, heldOutEncoded, before, after, result, seconds);
            if (resumedFrom != null) {
                metrics.put("first_step", result.firstStep());
                metrics.put("resumed_from", resumedFrom.toString());
            }
            AtomicFiles.writeString(settings.outDir().resolve("metrics.json"), GSON.toJson(metrics) + "\n");
            AtomicFiles.writeString(settings.outDir().resolve("steps.jsonl"), history.toJsonLines());
            out.printf("Wrote %s, %s and %s (%.1f s)%n", modelDir, settings.outDir().resolve("metrics.json"),
                    settings.outDir().resolve("steps.jsonl"), seconds);
            out.flush();
            return metrics;
        }
    }

    /**
     * Turns on checkpointing and restores the checkpoint to resume from, as the settings ask.
     *
     * @param resumeFrom the checkpoint directory to restore, or null to start from step 1
     * @return the restored checkpoint directory, or null when the run starts from step 1
     */
    private Path prepareCheckpoints(RewardTrainer trainer, Path resumeFrom, int pairCount) throws IOException {
        if (checkpoints.every() > 0) {
            trainer.checkpointEvery(checkpoints.every(), settings.outDir().resolve(CHECKPOINTS_FOLDER),
                    checkpoints.keepLast());
        }
        if (resumeFrom == null) {
            return null;
        }
        TrainingCheckpoint restored = trainer.resumeFrom(resumeFrom);
        out.printf("Resuming from %s: %d of %d steps done%n", restored.directory(), restored.manifest().step(),
                trainer.plannedSteps(pairCount));
        out.flush();
        return restored.directory();
    }

    /** Returns the checkpoints folder of an output folder, or the path itself when it has none. */
    private static Path checkpointRoot(Path resumeFrom) {
        Path folder = resumeFrom.resolve(CHECKPOINTS_FOLDER);
        boolean isCheckpoint = Files.exists(resumeFrom.resolve(TrainingCheckpoint.MANIFEST_FILE));
        return !isCheckpoint && Files.isDirectory(folder) ? folder : resumeFrom;
    }

    private LlamaRewardModel openModel() throws IOException {
        if (settings.initCheckpoint() != null) {
            return LlamaRewardModel.load(settings.initCheckpoint(), RewardHeadSpec.scalar());
        }
        return LlamaRewardModel.fromGguf(settings.baseModel(), RewardHeadSpec.scalar(), settings.trainer().seed());
    }

    private List<PreferencePair> readPairs(PluginRegistry registry, Path file, String format) throws IOException {
        DataSource<?> source = registry.dataSource(format);
        if (source.kind() != RecordKind.PREFERENCE_PAIRS) {
            throw new IllegalArgumentException("Data format '" + format + "' produces " + source.kind()
                    + ", but reward training needs preference pairs");
        }
        @SuppressWarnings("unchecked")
        DataSource<PreferencePair> pairs = (DataSource<PreferencePair>) source;
        RecordReader<PreferencePair> reader = pairs.open(file, settings.readOptions());
        List<PreferencePair> records = reader.readAll();
        logger.info("Read {} pairs from {} ({})", records.size(), file, reader.stats());
        return records;
    }

    private static void requireUsable(EncodeResult encoded, String what) {
        if (encoded.pairs().isEmpty()) {
            throw new IllegalArgumentException("No " + what + " pairs left after encoding (" + encoded.seen()
                    + " seen, dropped " + encoded.dropped() + "). Raise --max-length or use --truncation truncate.");
        }
    }

    private Map<String, Object> metrics(EncodeResult train, EncodeResult heldOut, PairwiseReport before,
            PairwiseReport after, TrainingResult result, double seconds) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("pairs", train.pairs().size());
        metrics.put("held_out_pairs", heldOut.pairs().size());
        metrics.put("accuracy_before", before.accuracy());
        metrics.put("accuracy_after", after.accuracy());
        metrics.put("ties_before", before.ties());
        metrics.put("ties_after", after.ties());
        metrics.put("loss_first", result.firstLoss());
        metrics.put("loss_last", result.lastLoss());
        metrics.put("steps", result.steps());
        metrics.put("seconds", Math.round(seconds * 10) / 10.0);
        metrics.put("data", settings.dataFile().toString());
        metrics.put("format", settings.format());
        metrics.put("loss", settings.lossName());
        metrics.put("dropped_train", train.dropped());
        metrics.put("dropped_held_out", heldOut.dropped());
        if (!after.subsets().isEmpty()) {
            Map<String, Object> subsets = new LinkedHashMap<>();
            after.subsets().forEach((name, subset) -> subsets.put(name, Map.of(
                    "pairs", subset.pairs(), "correct", subset.correct(), "ties", subset.ties(),
                    "accuracy", subset.accuracy())));
            metrics.put("subsets_after", subsets);
        }
        return metrics;
    }

    /** Collects the per-step metrics for {@code steps.jsonl}. */
    private static final class StepHistory implements TrainingListener {

        private final List<StepMetrics> steps = new ArrayList<>();
        private final Gson compact = new GsonBuilder().serializeSpecialFloatingPointValues().create();

        @Override
        public void onStep(StepMetrics metrics) {
            steps.add(metrics);
        }

        String toJsonLines() {
            StringBuilder text = new StringBuilder();
            for (StepMetrics step : steps) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("step", step.step());
                line.put("epoch", step.epoch());
                line.put("loss", step.loss());
                line.put("accuracy", step.accuracy());
                line.put("learning_rate", step.learningRate());
                line.put("grad_norm", step.gradNorm());
                line.put("pairs_per_second", step.pairsPerSecond());
                text.append(compact.toJson(line)).append('\n');
            }
            return text.toString();
        }
    }
}
