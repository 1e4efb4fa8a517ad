package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.ReadOptions;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that train a reward model. The defaults are sized for the bundled
 * stories260K model on a laptop CPU; the published 70B recipe uses far smaller learning rates.
 */
final class TrainingOptions {

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "bt",
            description = "Reward-loss plugin: bt, margin-bt, scaled-bt or a third-party name (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--template", paramLabel = "NAME", defaultValue = "plain",
            description = "Chat template that renders prompt and response: plain or extra-id (default: ${DEFAULT-VALUE}).")
    String template;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "3e-3",
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "5",
            description = "Optimizer steps of linear warm-up (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "cosine",
            description = "Learning rate after warm-up: constant or cosine (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0.01",
            description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--max-grad-norm", paramLabel = "N", defaultValue = "1.0",
            description = "Clip the global gradient L2 norm to N; 0 turns clipping off (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = "--batch", paramLabel = "PAIRS", defaultValue = "32",
            description = "Pairs per optimizer step (global batch) (default: ${DEFAULT-VALUE}).")
    int globalBatchPairs;

    @Option(names = "--micro-batch", paramLabel = "PAIRS", defaultValue = "16",
            description = "Pairs per forward pass; gradients of --batch/--micro-batch passes are accumulated "
                    + "(default: ${DEFAULT-VALUE}).")
    int microBatchPairs;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2",
            description = "Passes over the training pairs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0",
            description = "Stop after N optimizer steps instead of counting epochs; 0 means use --epochs.")
    long maxSteps;

    @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "192",
            description = "Longest sequence in tokens, BOS and EOS included (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--truncation", paramLabel = "MODE", defaultValue = "truncate",
            description = "Over-long pairs: filter (drop them) or truncate (cut the prompt start, keep EOS) "
                    + "(default: ${DEFAULT-VALUE}).")
    String truncation;

    @Option(names = "--padding-side", paramLabel = "SIDE", defaultValue = "right",
            description = "Pad batches on the left or right (default: ${DEFAULT-VALUE}).")
    String paddingSide;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the head initialisation, data split and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--held-out", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Share of the pairs held out for evaluation when --eval-data is not given "
                    + "(default: ${DEFAULT-VALUE}).")
    double heldOutFraction;

    @Option(names = "--max-pairs", paramLabel = "N", defaultValue = "0",
            description = "Train on at most N pairs; 0 means all.")
    int maxTrainPairs;

    @Option(names = "--eval-batch", paramLabel = "PAIRS", defaultValue = "32",
            description = "Pairs per evaluation batch (default: ${DEFAULT-VALUE}).")
    int evalBatchPairs;

    @Option(names = "--skip-bad-records",
            description = "Skip and count malformed records instead of stopping at the first one.")
    boolean skipBadRecords;

    @Option(names = "--keep-ties",
            description = "Keep HelpSteer2-Preference ties (strength 0) as magnitude-1 pairs with response_2 chosen, "
                    + "as NeMo-Aligner's preprocessing does. Such pairs teach a preference the raters did not give, "
                    + "so the published recipe drops them, as rlhf4j does by default.")
    boolean keepTies;

    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = "Folder of third-party plugin jars, each loaded as its own module layer.")
    Path pluginDir;

    @Option(names = "--devices", paramLabel = "LIST", defaultValue = "cpu",
            description = "Devices to train on, comma-separated: cpu or cuda:N. With several devices each keeps a "
                    + "copy of the model and a share of every micro batch, and their gradients are summed on the "
                    + "first, which keeps the optimizer state (data parallelism) (default: ${DEFAULT-VALUE}).")
    String devices;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Folder of the tokenized-data cache: each data file is tokenized once and reloaded from an "
                    + "Arrow file keyed by the file's SHA-256, the reader, tokenizer, template, --max-length and "
                    + "--truncation (default: the rlhf4j.cache.dir system property, else ~/.cache/rlhf4j/tokenized).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Tokenize the data every run and write no cache file.")
    boolean noCache;

    /** Returns the tokenized-data cache folder these options name, or null when caching is off. */
    Path cacheDirectory() {
        if (noCache) {
            return null;
        }
        return cacheDir != null ? cacheDir : RewardRun.defaultCacheDirectory();
    }

    /** Builder fields of the trainer configs and the options that set them, for error messages. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("learningRate", "--lr"),
            Map.entry("warmupSteps", "--warmup"),
            Map.entry("weightDecay", "--weight-decay"),
            Map.entry("maxGradNorm", "--max-grad-norm"),
            Map.entry("globalBatchPairs", "--batch"),
            Map.entry("microBatchPairs", "--micro-batch"),
            Map.entry("globalBatchSize", "--batch"),
            Map.entry("microBatchSize", "--micro-batch"),
            Map.entry("epochs", "--epochs"),
            Map.entry("maxSteps", "--max-steps"),
            Map.entry("maxLength", "--max-length"));
    private static final Pattern FIELD = Pattern.compile("\\b(" + String.join("|", FLAGS.keySet()) + ")\\b");

    /**
     * Returns the trainer settings these options describe.
     *
     * @throws IllegalArgumentException naming the option, not the builder field, when a value is invalid
     */
    RewardTrainerConfig trainerConfig() {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("--max-steps must be >= 0 (0 trains for --epochs), got " + maxSteps);
        }
        if (maxSteps == 0 && epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1 when --max-steps is 0, got " + epochs);
        }
        try {
            return buildTrainerConfig();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(withFlagNames(e.getMessage()), e);
        }
    }

    /** Replaces the builder field names in a validation message with the options that set them. */
    static String withFlagNames(String message) {
        Matcher matcher = FIELD.matcher(message);
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(text, Matcher.quoteReplacement(FLAGS.get(matcher.group(1))));
        }
        matcher.appendTail(text);
        return text.toString();
    }

    private RewardTrainerConfig buildTrainerConfig() {
        RewardTrainerConfig.Builder builder = RewardTrainerConfig.builder()
                .devices(DeviceList.parse(devices))
                .learningRate(learningRate)
                .warmupSteps(warmupSteps)
                .schedule(LearningRateSchedule.Kind.fromName(schedule))
                .weightDecay(weightDecay)
                .maxGradNorm(maxGradNorm)
                .globalBatchPairs(globalBatchPairs)
                .microBatchPairs(microBatchPairs)
                .maxLength(maxLength)
                .truncationMode(Enums.parse(TruncationMode.class, "--truncation", truncation))
                .paddingSide(Enums.parse(PaddingSide.class, "--padding-side", paddingSide))
                .seed(seed);
        if (maxSteps > 0) {
            builder.maxSteps(maxSteps);
        } else {
            builder.epochs(epochs);
        }
        return builder.build();
    }

    /** Returns the reader settings these options describe. */
    ReadOptions readOptions() {
        ReadOptions options = skipBadRecords ? ReadOptions.lenient() : ReadOptions.strict();
        return options.withKeepTies(keepTies);
    }
}
