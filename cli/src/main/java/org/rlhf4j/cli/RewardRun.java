package org.rlhf4j.cli;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.rlhf4j.cache.CacheKey;
import org.rlhf4j.cache.TokenizedPairCache;
import org.rlhf4j.data.Splits;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.evaluation.plot.MarginHistogram;
import org.rlhf4j.evaluation.plot.TrainingCurves;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a scalar reward model on preference pairs and measures held-out accuracy before and after.
 * Writes {@code model/}, {@code metrics.json}, {@code steps.jsonl} and the PNG plots {@code loss.png},
 * {@code accuracy.png} and {@code margins.png} into the output folder, and training checkpoints into
 * its {@code checkpoints/} folder when asked to. Encoded data files are kept in the tokenized-data
 * cache, so a second run on the same file, tokenizer and template skips reading and tokenizing.
 */
final class RewardRun {

    private static final Logger logger = LoggerFactory.getLogger(RewardRun.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** Name of the folder under the output folder that receives the training checkpoints. */
    static final String CHECKPOINTS_FOLDER = "checkpoints";

    /** System property that sets the default tokenized-data cache folder. */
    static final String CACHE_DIR_PROPERTY = "rlhf4j.cache.dir";

    private final RewardRunSettings settings;
    private final Checkpoints checkpoints;
    private final Path cacheDirectory;
    private final Map<Path, Map<String, Long>> droppedWhileReading = new LinkedHashMap<>();
    private boolean overwrite;
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
        this(settings, Checkpoints.NONE, defaultCacheDirectory(), out);
    }

    /**
     * Creates a run.
     *
     * @param settings data, model, loss and trainer settings
     * @param checkpoints checkpoint and resume settings
     * @param cacheDirectory folder of the tokenized-data cache, or null to tokenize every run
     * @param out where progress lines go
     */
    RewardRun(RewardRunSettings settings, Checkpoints checkpoints, Path cacheDirectory, PrintWriter out) {
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.cacheDirectory = cacheDirectory;
        this.out = out;
    }

    /**
     * Lets the run replace the model and metrics of an earlier run in its output folder; the demo
     * does so for its default folder. Checkpoints of another run are never replaced.
     *
     * @return this run
     */
    RewardRun allowOverwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    /**
     * Returns the cache folder used when none is given: the {@value #CACHE_DIR_PROPERTY} system
     * property when set, else {@code ~/.cache/rlhf4j/tokenized}.
     */
    static Path defaultCacheDirectory() {
        String property = System.getProperty(CACHE_DIR_PROPERTY);
        return property != null && !property.isBlank() ? Path.of(property) : TokenizedPairCache.defaultDirectory();
    }

    /** Runs the job and returns the metrics that were written to {@code metrics.json}. */
    Map<String, Object> run() throws IOException {
        long started = System.nanoTime();
        requireWritable(settings.outDir());
        // Fails before the data is read when there is nothing to resume from.
        Path resumeFrom = checkpoints.resumeFrom() == null ? null
                : TrainingCheckpoint.resolve(checkpointRoot(checkpoints.resumeFrom()));
        requireFreshOutput(resumeFrom != null);
        PluginRegistry registry = PluginDiscovery.builder().optPluginFolder(settings.pluginDir()).build().discover();
        RewardLoss loss = registry.rewardLoss(settings.lossName());
        pairSource(registry, settings.format());
        InputFiles.requireReadable("--data", settings.dataFile());
        if (settings.evalFile() != null) {
            pairSource(registry, settings.evalFormat());
            InputFiles.requireReadable("--eval-data", settings.evalFile());
        }
        RewardTrainerConfig config = settings.trainer();
        try (LlamaRewardModel model = openModel()) {
            ChatTemplate template = ChatTemplate.forName(settings.templateName());
            PairEncoder encoder = new PairEncoder(model.tokenizer(), template, config.maxLength(), config.truncationMode());
            EncodedFile data = encodeFile(registry, settings.dataFile(), settings.format(), model, template, encoder);
            EncodedFile evalData = settings.evalFile() == null ? null
                    : encodeFile(registry, settings.evalFile(), settings.evalFormat(), model, template, encoder);
            List<EncodedPair> train;
            List<EncodedPair> heldOut;
            if (evalData == null) {
                // Split by pair id, so the held-out pairs do not depend on the order or on the cache.
                Splits.Split<EncodedPair> split = Splits.byKey(data.result().pairs(), EncodedPair::id,
                        settings.heldOutFraction(), config.seed());
                train = split.train();
                heldOut = split.heldOut();
            } else {
                train = data.result().pairs();
                heldOut = evalData.result().pairs();
            }
            if (settings.maxTrainPairs() > 0 && train.size() > settings.maxTrainPairs()) {
                train = List.copyOf(train.subList(0, settings.maxTrainPairs()));
            }
            requireUsable(train, "training", data, settings.dataFile());
            requireUsable(heldOut, "held-out", evalData != null ? evalData : data,
                    evalData != null ? settings.evalFile() : settings.dataFile());
            out.printf("Data: %d training pairs, %d held-out pairs (dropped while encoding: %s%s)%n",
                    train.size(), heldOut.size(), data.result().dropped(),
                    evalData == null ? "" : ", held-out file " + evalData.result().dropped());
            out.flush();

            PairwiseEvaluator evaluator = new PairwiseEvaluator(
                    model, settings.evalBatchPairs(), config.paddingSide(), model.tokenizer().padId());
            PairwiseReport before = evaluator.evaluate(heldOut);
            out.printf("Held-out accuracy before training: %.4f (%d of %d, %d ties)%n",
                    before.accuracy(), before.correct(), before.pairs(), before.ties());
            out.flush();

            StepHistory history = new StepHistory();
            TrainingResult result;
            Path resumedFrom;
            try (RewardTrainer trainer = new RewardTrainer(model, loss, config)) {
                trainer.addListener(history);
                resumedFrom = prepareCheckpoints(trainer, resumeFrom, train.size());
                result = trainer.train(train);
            }
            PairwiseReport after = evaluator.evaluate(heldOut);
            out.printf("Held-out accuracy after training:  %.4f (%d of %d, %d ties)%n",
                    after.accuracy(), after.correct(), after.pairs(), after.ties());
            out.printf("Training loss: first step %.4f, last step %.4f over %d steps%n",
                    result.firstLoss(), result.lastLoss(), result.steps());

            Path modelDir = settings.outDir().resolve("model");
            model.save(modelDir);
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> metrics = metrics(train.size(), data, evalData, before, after, result, seconds);
            if (resumedFrom != null) {
                metrics.put("first_step", result.firstStep());
                metrics.put("resumed_from", resumedFrom.toString());
            }
            AtomicFiles.writeString(settings.outDir().resolve("metrics.json"), GSON.toJson(metrics) + "\n");
            AtomicFiles.writeString(settings.outDir().resolve("steps.jsonl"), history.toJsonLines());
            List<Path> plots = writePlots(history, after);
            out.printf("Wrote %s, %s, %s and %s (%.1f s)%n", modelDir, settings.outDir().resolve("metrics.json"),
                    settings.outDir().resolve("steps.jsonl"), plotNames(plots), seconds);
            out.flush();
            return metrics;
        }
    }

    /**
     * The pairs of one data file after encoding, and where they came from.
     *
     * @param result the encoded pairs and the drop counts
     * @param cache {@code hit} when read from the tokenized-data cache, {@code miss} when tokenized
     *     and stored, {@code off} when caching is turned off
     */
    private record EncodedFile(EncodeResult result, String cache) {}

    /** Reads and encodes a data file, or reloads its encoded pairs from the tokenized-data cache. */
    private EncodedFile encodeFile(PluginRegistry registry, Path file, String format, LlamaRewardModel model,
            ChatTemplate template, PairEncoder encoder) throws IOException {
        if (cacheDirectory == null) {
            return new EncodedFile(encoder.encode(readPairs(registry, file, format)), "off");
        }
        CacheKey key = CacheKey.builder().dataFile(file).dataSource(format, settings.readOptions())
                .tokenizer(model.tokenizer()).chatTemplate(template).encoder(encoder).build();
        TokenizedPairCache cache = TokenizedPairCache.in(cacheDirectory);
        AtomicBoolean tokenized = new AtomicBoolean();
        EncodeResult result;
        try {
            result = cache.getOrCompute(key, () -> {
                tokenized.set(true);
                try {
                    return encoder.encode(readPairs(registry, file, format));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!tokenized.get()) {
            logger.info("Loaded {} encoded pairs of {} from the cache file {}", result.pairs().size(), file,
                    cache.arrowFile(key));
        }
        return new EncodedFile(result, tokenized.get() ? "miss" : "hit");
    }

    /** Writes the loss and accuracy curves and the held-out margin histogram next to {@code metrics.json}. */
    private List<Path> writePlots(StepHistory history, PairwiseReport after) throws IOException {
        List<Path> plots = new ArrayList<>();
        if (!history.steps.isEmpty()) {
            // A resumed run's curves start at its first step, as its steps.jsonl does.
            plots.addAll(TrainingCurves.write(settings.outDir(), history.steps.get(0).step(),
                    history.steps.stream().map(StepMetrics::loss).toList(),
                    history.steps.stream().map(StepMetrics::accuracy).toList()));
        }
        plots.add(MarginHistogram.write(settings.outDir(), after.margins()));
        return plots;
    }

    private static String plotNames(List<Path> plots) {
        return String.join(", ", plots.stream().map(path -> path.getFileName().toString()).toList());
    }

    /**
     * Fails before any training when the output folder cannot be created or written. Creates nothing,
     * so a run that stops on bad input leaves no empty folder behind.
     */
    private static void requireWritable(Path outDir) {
        Path folder = outDir.toAbsolutePath();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--out " + outDir + " cannot be created because " + folder
                    + " is not a folder; choose another --out");
        }
        // A probe folder, deleted at once: permission bits alone do not tell, for example as root.
        try {
            Files.delete(Files.createTempDirectory(folder, ".rlhf4j-write-check"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("--out " + outDir + " cannot be written because " + folder
                    + " does not accept new files (" + e.getMessage() + "); choose another --out", e);
        }
    }

    /**
     * Rejects an output folder that already contains the results of another run, which this run would
     * replace, unless the run resumes or the settings allow replacing.
     */
    private void requireFreshOutput(boolean resuming) {
        Path out = settings.outDir();
        if (resuming) {
            return;
        }
        Path checkpointFolder = out.resolve(CHECKPOINTS_FOLDER);
        if (checkpoints.every() > 0 && !isEmptyFolder(checkpointFolder)) {
            throw new IllegalArgumentException("--out " + out + " already contains checkpoints of another run in "
                    + checkpointFolder + ". Pass --resume " + out + " to continue that run, or choose a new --out");
        }
        requireNoEarlierResults(out, overwrite);
    }

    /**
     * Rejects an output folder that contains the model or {@code metrics.json} of an earlier run,
     * unless {@code overwrite} allows replacing them.
     */
    static void requireNoEarlierResults(Path out, boolean overwrite) {
        boolean results = Files.exists(out.resolve("metrics.json")) || Files.exists(out.resolve("model"));
        if (results && !overwrite) {
            throw new IllegalArgumentException("--out " + out + " already contains the model and metrics of an "
                    + "earlier run. Choose a new --out, or pass --overwrite to replace them");
        }
    }

    private static boolean isEmptyFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            return true;
        }
        try (var entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Opens the model on the first training device, which keeps the weights that are saved. */
    private LlamaRewardModel openModel() throws IOException {
        List<Device> devices = settings.trainer().devices();
        Device device = devices.isEmpty() ? Device.cpu() : devices.get(0);
        if (settings.initCheckpoint() != null) {
            // Any head: a regression model's reward is its helpfulness output, so BT can start from it.
            return LlamaRewardModel.load(settings.initCheckpoint(), null, device);
        }
        return LlamaRewardModel.fromGguf(settings.baseModel(), RewardHeadSpec.scalar(), settings.trainer().seed(),
                device);
    }

    /** Returns the data source of a format, failing when it is unknown or does not produce pairs. */
    private static DataSource<PreferencePair> pairSource(PluginRegistry registry, String format) {
        DataSource<?> source = registry.dataSource(format);
        if (source.kind() != RecordKind.PREFERENCE_PAIRS) {
            throw new IllegalArgumentException("Data format '" + format + "' produces " + source.kind()
                    + ", but reward training needs preference pairs");
        }
        @SuppressWarnings("unchecked")
        DataSource<PreferencePair> pairs = (DataSource<PreferencePair>) source;
        return pairs;
    }

    private List<PreferencePair> readPairs(PluginRegistry registry, Path file, String format) throws IOException {
        RecordReader<PreferencePair> reader = pairSource(registry, format).open(file, settings.readOptions());
        List<PreferencePair> records = reader.readAll();
        logger.info("Read {} pairs from {} ({})", records.size(), file, reader.stats());
        droppedWhileReading.put(file, reader.stats().droppedByReason());
        return records;
    }

    private static void requireUsable(List<EncodedPair> pairs, String role, EncodedFile source, Path file) {
        if (source.result().seen() == 0) {
            throw new IllegalArgumentException(file + " contains no preference pairs, so there are no " + role
                    + " pairs");
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("No " + role + " pairs left after encoding (" + source.result().seen()
                    + " read, dropped " + source.result().dropped()
                    + "). Raise --max-length or use --truncation truncate.");
        }
    }

    private Map<String, Object> metrics(int trainPairs, EncodedFile data, EncodedFile evalData,
            PairwiseReport before, PairwiseReport after, TrainingResult result, double seconds) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("pairs", trainPairs);
        metrics.put("held_out_pairs", after.pairs());
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
        metrics.put("dropped", data.result().dropped());
        // Records the reader skipped; absent when the encoded pairs came from the cache unread.
        if (droppedWhileReading.containsKey(settings.dataFile())) {
            metrics.put("dropped_reading", droppedWhileReading.get(settings.dataFile()));
        }
        metrics.put("tokenized_cache", data.cache());
        if (evalData != null) {
            metrics.put("eval_data", settings.evalFile().toString());
            metrics.put("dropped_eval_data", evalData.result().dropped());
        }
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
