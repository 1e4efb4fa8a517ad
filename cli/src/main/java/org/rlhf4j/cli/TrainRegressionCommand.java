package org.rlhf4j.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.regression.AttributeReport;
import org.rlhf4j.algorithms.regression.EncodedRated;
import org.rlhf4j.algorithms.regression.RatedEncodeResult;
import org.rlhf4j.algorithms.regression.RatedEncoder;
import org.rlhf4j.algorithms.regression.RegressionEvaluator;
import org.rlhf4j.algorithms.regression.RegressionReport;
import org.rlhf4j.algorithms.regression.RegressionResult;
import org.rlhf4j.algorithms.regression.RegressionTargets;
import org.rlhf4j.algorithms.regression.RegressionTrainer;
import org.rlhf4j.algorithms.regression.RegressionTrainerConfig;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.data.Splits;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.evaluation.plot.TrainingCurves;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a multi-attribute regression reward model on rated responses. */
@Command(name = "train-regression", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a regression reward model with one head output per rated attribute (masked MSE) "
                + "and reports the held-out RMSE of each attribute before and after training.",
            "Its scalar reward is the helpfulness output (the first trained attribute when there is no "
                    + "helpfulness); train-reward --init starts pairwise training from it."})
final class TrainRegressionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", required = true,
            description = "Rated responses (.jsonl or .jsonl.gz), for example HelpSteer2's train file.")
    private Path data;

    @Option(names = "--format", paramLabel = "NAME", required = true,
            description = "Data-source plugin that reads --data: helpsteer2, oasst2 or a third-party name.")
    private String format;

    @Option(names = "--attributes", paramLabel = "LIST", split = ",",
            description = "Head outputs, in order (default: the five HelpSteer2 attributes for helpsteer2, "
                    + "quality, helpfulness, creativity, humor and toxicity for oasst2).")
    private List<String> attributes;

    @Option(names = "--train-attributes", paramLabel = "LIST", split = ",",
            description = "Attributes whose ratings train the head; the other slots are masked. "
                    + "helpfulness gives the helpfulness-only model (default: all --attributes).")
    private List<String> trainAttributes;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder for the model, metrics.json, steps.jsonl and loss.png.")
    private Path out;

    @Option(names = "--overwrite", description = "Replace the model and metrics of an earlier run in --out.")
    private boolean overwrite;

    @Option(names = "--base-model", paramLabel = "GGUF",
            description = "Pretrained decoder in GGUF format (default: the bundled stories260K model).")
    private Path baseModel;

    @Option(names = "--held-out", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Share of prompts whose responses are held out (default: ${DEFAULT-VALUE}).")
    private double heldOut;

    @Option(names = "--template", paramLabel = "NAME", defaultValue = "plain",
            description = "Chat template: plain or extra-id (default: ${DEFAULT-VALUE}).")
    private String template;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "3e-3",
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "5",
            description = "Optimizer steps of linear warm-up (default: ${DEFAULT-VALUE}).")
    private int warmupSteps;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "cosine",
            description = "Learning rate after warm-up: constant or cosine (default: ${DEFAULT-VALUE}).")
    private String schedule;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32",
            description = "Responses per optimizer step (default: ${DEFAULT-VALUE}).")
    private int globalBatch;

    @Option(names = "--micro-batch", paramLabel = "N", defaultValue = "16",
            description = "Responses per forward pass, a divisor of --batch (default: ${DEFAULT-VALUE}).")
    private int microBatch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2",
            description = "Passes over the training responses (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0",
            description = "Stop after N optimizer steps instead of counting epochs; 0 means use --epochs.")
    private long maxSteps;

    @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "192",
            description = "Maximum sequence length in tokens; longer prompts are cut at the start "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxLength;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the head, the split and the batch order (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--skip-bad-records", description = "Skip and count malformed records instead of stopping.")
    private boolean skipBadRecords;

    @Option(names = "--plugin-dir", paramLabel = "DIR", description = "Folder of third-party plugin jars.")
    private Path pluginDir;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new IllegalArgumentException("--held-out must be between 0 and 1 (exclusive), got " + heldOut);
        }
        RewardRun.requireNoEarlierResults(out, overwrite);

        PluginRegistry registry = PluginDiscovery.builder().optPluginFolder(pluginDir).build().discover();
        DataSource<RatedResponse> source = ratedSource(registry);
        InputFiles.requireReadable("--data", data);
        RegressionTargets targets = targets();
        RegressionTrainerConfig config = config();
        List<RatedResponse> rated = source.open(data, skipBadRecords ? ReadOptions.lenient() : ReadOptions.strict())
                .readAll();
        Splits.Split<RatedResponse> split = Splits.byKey(rated,
                response -> RecipeCommand.promptKey(response.prompt()), heldOut, seed);

        PrintWriter printer = spec.commandLine().getOut();
        Path base = baseModel != null ? baseModel : BundledAssets.resolve(BundledAssets.MODEL);
        try (LlamaRewardModel model = LlamaRewardModel.fromGguf(base, targets.headSpec(), seed)) {
            RatedEncoder encoder = new RatedEncoder(model.tokenizer(), ChatTemplate.forName(template), targets,
                    maxLength, TruncationMode.TRUNCATE);
            RatedEncodeResult train = encoder.encode(split.train());
            RatedEncodeResult test = encoder.encode(split.heldOut());
            requireExamples(train, "training");
            requireExamples(test, "held-out");
            printer.printf("Data: %d training and %d held-out responses (dropped while encoding: %s, %s)%n",
                    train.examples().size(), test.examples().size(), train.dropped(), test.dropped());

            RegressionEvaluator evaluator = new RegressionEvaluator(model, targets, 32, PaddingSide.RIGHT,
                    model.tokenizer().padId());
            RegressionReport before = evaluator.evaluate(test.examples());
            List<Double> losses = new ArrayList<>();
            RegressionResult result;
            try (RegressionTrainer trainer = new RegressionTrainer(model, registry.regressionLoss("regression"),
                    config)) {
                trainer.addListener(step -> losses.add(step.loss()));
                result = trainer.train(train.examples());
            }
            RegressionReport after = evaluator.evaluate(test.examples());

            model.save(out.resolve("model"));
            Map<String, Object> metrics = metrics(targets, train.examples(), test.examples(), before, after, result);
            metrics.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
            writeOutputs(metrics, losses);
            printReport(printer, before, after, result);
        }
        return 0;
    }

    /** Writes metrics.json, steps.jsonl with the loss of each step, and loss.png. */
    private void writeOutputs(Map<String, Object> metrics, List<Double> losses) throws IOException {
        AtomicFiles.writeString(out.resolve("metrics.json"),
                new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(metrics)
                        + "\n");
        AtomicFiles.writeString(out.resolve("steps.jsonl"), losses.stream()
                .map(loss -> "{\"loss\":" + loss + "}\n").collect(Collectors.joining()));
        if (!losses.isEmpty()) {
            TrainingCurves.writeLoss(out, losses);
        }
    }

    private RegressionTargets targets() {
        List<String> names = attributes;
        if (names == null || names.isEmpty()) {
            names = switch (format) {
                case "helpsteer2" -> RegressionTargets.HELPSTEER2_ATTRIBUTES;
                case "oasst2" -> List.of("quality", "helpfulness", "creativity", "humor", "toxicity");
                default -> throw new IllegalArgumentException("--attributes is required for --format " + format
                        + "; give the rated attributes, for example --attributes helpfulness,correctness");
            };
        }
        RegressionTargets all = RegressionTargets.of(names);
        if (trainAttributes == null || trainAttributes.isEmpty()) {
            return all;
        }
        for (String name : trainAttributes) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("--train-attributes names '" + name + "', which is not one of "
                        + "--attributes " + names);
            }
        }
        return all.trainingOnly(trainAttributes);
    }

    private RegressionTrainerConfig config() {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("--max-steps must be >= 0 (0 trains for --epochs), got " + maxSteps);
        }
        RegressionTrainerConfig.Builder builder = RegressionTrainerConfig.builder()
                .learningRate(learningRate)
                .warmupSteps(warmupSteps)
                .schedule(LearningRateSchedule.Kind.fromName(schedule))
                .globalBatchSize(globalBatch)
                .microBatchSize(microBatch)
                .maxLength(maxLength)
                .truncationMode(TruncationMode.TRUNCATE)
                .seed(seed);
        if (maxSteps > 0) {
            builder.maxSteps(maxSteps);
        } else {
            builder.epochs(epochs);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TrainingOptions.withFlagNames(e.getMessage()), e);
        }
    }

    private DataSource<RatedResponse> ratedSource(PluginRegistry registry) {
        DataSource<?> source = registry.dataSource(format);
        if (source.kind() != RecordKind.RATED_RESPONSES) {
            throw new IllegalArgumentException("Data format '" + format + "' produces " + source.kind()
                    + ", but regression training needs rated responses (helpsteer2, oasst2)");
        }
        @SuppressWarnings("unchecked")
        DataSource<RatedResponse> rated = (DataSource<RatedResponse>) source;
        return rated;
    }

    private void requireExamples(RatedEncodeResult encoded, String role) {
        if (encoded.examples().isEmpty()) {
            throw new IllegalArgumentException("No " + role + " responses with ratings of the trained attributes in "
                    + data + " (" + encoded.seen() + " read, dropped " + encoded.dropped() + ")");
        }
    }

    private static Map<String, Object> metrics(RegressionTargets targets, List<EncodedRated> train,
            List<EncodedRated> test, RegressionReport before, RegressionReport after, RegressionResult result) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("responses", train.size());
        metrics.put("held_out_responses", test.size());
        metrics.put("attributes", targets.attributes());
        metrics.put("reward_attribute", targets.rewardAttribute());
        metrics.put("steps", result.steps());
        metrics.put("loss_first", result.firstLoss());
        metrics.put("loss_last", result.lastLoss());
        Map<String, Double> baseline = RegressionEvaluator.meanBaselineRmse(targets, train, test);
        Map<String, Object> rmse = new LinkedHashMap<>();
        for (AttributeReport attribute : after.attributes()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("count", attribute.count());
            entry.put("rmse_before", before.attribute(attribute.attribute()).map(AttributeReport::rmse).orElse(null));
            entry.put("rmse_after", attribute.rmse());
            entry.put("rmse_mean_baseline", baseline.get(attribute.attribute()));
            rmse.put(attribute.attribute(), entry);
        }
        metrics.put("held_out_rmse", rmse);
        return metrics;
    }

    private static void printReport(PrintWriter printer, RegressionReport before, RegressionReport after,
            RegressionResult result) {
        printer.printf("Training loss: first step %.4f, last step %.4f over %d steps%n", result.firstLoss(),
                result.lastLoss(), result.steps());
        for (AttributeReport attribute : after.attributes()) {
            double rmseBefore = before.attribute(attribute.attribute()).map(AttributeReport::rmse).orElse(Double.NaN);
            printer.printf("Held-out RMSE %-12s %.3f -> %.3f (%d ratings)%n", attribute.attribute(), rmseBefore,
                    attribute.rmse(), attribute.count());
        }
        printer.flush();
    }
}
