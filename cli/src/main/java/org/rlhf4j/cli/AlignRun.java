package org.rlhf4j.cli;

import ai.djl.Device;
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
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.policy.dpo.DpoTrainerConfig;
import org.rlhf4j.algorithms.policy.online.KlEstimator;
import org.rlhf4j.algorithms.policy.online.KlPenalty;
import org.rlhf4j.algorithms.policy.online.PpoConfig;
import org.rlhf4j.algorithms.policy.online.ReinforceConfig;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.api.policy.PolicyOptimizer;
import org.rlhf4j.api.policy.PreferenceOptimizer;
import org.rlhf4j.data.Splits;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;
import org.rlhf4j.pipeline.PolicyPipeline;
import org.rlhf4j.pipeline.PolicyResult;
import org.rlhf4j.plugins.PluginRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs {@code align}: reads and splits the pairs, trains a reward model when an online run has
 * none, builds a {@link PolicyPipeline} from the options and writes its results.
 */
final class AlignRun {

    private static final Logger logger = LoggerFactory.getLogger(AlignRun.class);
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    /** Name of the folder under the output folder that receives a reward model trained for the run. */
    static final String REWARD_FOLDER = "reward-model";

    private static final int REINFORCE_STEPS = 20;
    private static final int PPO_STEPS = 12;
    private static final int DPO_STEPS = 20;
    private static final double ONLINE_LEARNING_RATE = 3e-4;
    private static final double CRITIC_LEARNING_RATE = 1e-3;
    private static final double DPO_LEARNING_RATE = 2e-3;
    private static final double DPO_BETA = 0.1;

    private final AlignCommand options;
    private final PluginRegistry registry;
    private final PrintWriter out;

    AlignRun(AlignCommand options, PluginRegistry registry, PrintWriter out) {
        this.options = options;
        this.registry = registry;
        this.out = out;
    }

    /** Runs the alignment and returns the metrics written to {@code metrics.json}. */
    Map<String, Object> run() throws IOException {
        long started = System.nanoTime();
        checkOptions();
        PolicyOptimizer optimizer = registry.policyOptimizer(options.algorithm);
        boolean offline = optimizer instanceof PreferenceOptimizer;
        List<Device> devices = DeviceList.parse(options.device);
        if (devices.size() != 1) {
            throw new IllegalArgumentException("--device takes one device, got " + options.device);
        }
        Device device = devices.get(0);
        Path base = options.baseModel != null ? options.baseModel : BundledAssets.resolve(BundledAssets.MODEL);
        Path dataFile = options.data != null ? options.data
                : BundledAssets.resolve(BundledAssets.INSTRUCTION_PREFERENCE);
        Splits.Split<PreferencePair> split = Splits.pairs(readPairs(dataFile), options.heldOut, options.seed);

        PolicyPipeline.Builder builder = PolicyPipeline.builder()
                .algorithm(optimizer.name())
                .plugins(registry)
                .baseModel(base)
                .outputDirectory(options.out)
                .device(device)
                .seed(options.seed);
        Map<String, Object> rewardMetrics = null;
        if (offline) {
            builder.preferencePairs(split.train(), split.heldOut()).dpo(dpoConfig());
        } else {
            SamplingConfig sampling = sampling(base);
            builder.prompts(prompts(split.train()), prompts(split.heldOut()))
                    .maxPromptTokens(options.maxPromptTokens)
                    .maxEvaluationPrompts(options.evalPrompts)
                    .evaluationSamples(options.evalSamples);
            // Only the chosen trainer's settings: -k 1 is valid for PPO but not for RLOO.
            if (optimizer.name().equals("ppo")) {
                builder.ppo(ppoConfig(sampling));
            } else {
                builder.reinforce(reinforceConfig(sampling));
            }
            Path rewardFolder = options.rewardModel;
            if (rewardFolder == null) {
                rewardMetrics = trainRewardModel(base, dataFile);
                rewardFolder = options.out.resolve(REWARD_FOLDER).resolve("model");
            }
            builder.rewardModel(rewardFolder);
        }
        PolicyResult result = builder.build().run();

        Map<String, Object> metrics = new LinkedHashMap<>(result.metrics());
        if (rewardMetrics != null) {
            metrics.put("reward_model_accuracy_before", rewardMetrics.get("accuracy_before"));
            metrics.put("reward_model_accuracy_after", rewardMetrics.get("accuracy_after"));
        }
        metrics.put("data", dataFile.toString());
        metrics.put("device", device.toString());
        metrics.put("policy", result.policyWeights().toString());
        metrics.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        // The pipeline wrote metrics.json, steps.jsonl and the plots. Rewrite metrics.json with the
        // command's extra values.
        AtomicFiles.writeString(options.out.resolve("metrics.json"), PRETTY.toJson(metrics) + "\n");
        summarize(metrics, offline);
        return metrics;
    }

    private boolean isOnline() {
        return options.algorithm.equals("ppo") || options.algorithm.equals("reinforce");
    }

    private void checkOptions() {
        if (Files.exists(options.out) && !Files.isDirectory(options.out)) {
            throw new IllegalArgumentException("--out " + options.out + " is a file, expected a folder");
        }

        requireAtLeast("--steps", options.steps, 1);
        requireAtLeast("--samples-per-prompt", options.samplesPerPrompt, 1);
        requireAtLeast("--prompts-per-step", options.promptsPerStep, 1);
        requireAtLeast("--max-new-tokens", options.maxNewTokens, 1);
        requireAtLeast("--epochs", options.epochs, 1);
        requireAtLeast("--batch", options.batchPairs, 1);
        requireAtLeast("--reward-steps", options.rewardSteps, 0);
        requireAtLeast("--ppo-epochs", options.ppoEpochs, 1);
        requirePositive("--lr", options.learningRate);
        if (options.beta != null && !(options.beta >= 0 && Double.isFinite(options.beta))) {
            throw new IllegalArgumentException("--beta must be finite and >= 0, got " + options.beta);
        }
        if (!(options.sftWeight >= 0)) {
            throw new IllegalArgumentException("--sft-weight must be >= 0, got " + options.sftWeight);
        }
        if (!(options.heldOut > 0 && options.heldOut < 1)) {
            throw new IllegalArgumentException("--held-out must be between 0 and 1 (exclusive), got "
                    + options.heldOut);
        }
        checkAlgorithmOptions();
    }

    /** Rejects options that the chosen algorithm would ignore or cannot use. */
    private void checkAlgorithmOptions() {
        if (isOnline() && options.epochs != null) {
            throw new IllegalArgumentException("--epochs applies to DPO-family algorithms; " + options.algorithm
                    + " runs --steps rollout steps, with --ppo-epochs passes over each for ppo");
        }
        if (!isOnline() && options.rewardModel != null) {
            throw new IllegalArgumentException("--reward-model applies to ppo and reinforce; " + options.algorithm
                    + " learns from the preference pairs of --data");
        }
        if (options.algorithm.equals("reinforce") && options.samplesPerPrompt != null && options.samplesPerPrompt < 2) {
            throw new IllegalArgumentException("--samples-per-prompt must be >= 2 for reinforce, whose leave-one-out "
                    + "baseline needs another sample of the same prompt, got " + options.samplesPerPrompt);
        }
        if (options.beta != null && options.beta == 0 && !isOnline()) {
            throw new IllegalArgumentException("--beta must be positive for " + options.algorithm
                    + ", which divides by it or scales the log-ratios with it, got 0");
        }
    }

    private static void requireAtLeast(String flag, Number value, long minimum) {
        if (value != null && value.longValue() < minimum) {
            throw new IllegalArgumentException(flag + " must be >= " + minimum + ", got " + value);
        }
    }

    private static void requirePositive(String flag, Double value) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + value);
        }
    }

    private List<PreferencePair> readPairs(Path file) throws IOException {
        DataSource<?> source = registry.dataSource(options.format);
        InputFiles.requireReadable("--data", file);
        if (source.kind() != RecordKind.PREFERENCE_PAIRS) {
            throw new IllegalArgumentException("--format '" + options.format + "' produces " + source.kind()
                    + ", but align needs preference pairs");
        }
        @SuppressWarnings("unchecked")
        DataSource<PreferencePair> pairs = (DataSource<PreferencePair>) source;
        ReadOptions read = options.skipBadRecords ? ReadOptions.lenient() : ReadOptions.strict();
        List<PreferencePair> records = pairs.open(file, read).readAll();
        if (records.isEmpty()) {
            throw new IllegalArgumentException("--data " + file + " contains no preference pairs; align needs pairs "
                    + "for its prompts or for DPO");
        }
        logger.info("Read {} pairs from {}", records.size(), file);
        return records;
    }

    private static List<List<Turn>> prompts(List<PreferencePair> pairs) {
        List<List<Turn>> prompts = new ArrayList<>(pairs.size());
        for (PreferencePair pair : pairs) {
            prompts.add(pair.prompt());
        }
        return prompts;
    }

    /** Trains a reward model on the same pairs and split as the demo command, into OUT/reward-model. */
    private Map<String, Object> trainRewardModel(Path base, Path dataFile) throws IOException {
        TrainingOptions training = CommandLine.populateCommand(new TrainingOptions());
        training.seed = options.seed;
        training.heldOutFraction = options.heldOut;
        training.maxSteps = options.rewardSteps;
        RewardRunSettings settings = new RewardRunSettings(dataFile, options.format, null, null,
                training.heldOutFraction, training.readOptions(), base, null, training.loss, training.template,
                training.maxTrainPairs, training.trainerConfig(), training.evalBatchPairs, options.pluginDir,
                options.out.resolve(REWARD_FOLDER));
        out.println("Training the reward model into " + settings.outDir());
        out.flush();
        return new RewardRun(settings, out).allowOverwrite(true).run();
    }

    private SamplingConfig sampling(Path base) throws IOException {
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(GgufFile.open(base));
        int stopId = tokenizer.eosId();
        if (!options.stopPiece.isEmpty()) {
            stopId = tokenizer.pieces().indexOf(options.stopPiece);
            if (stopId < 0) {
                throw new IllegalArgumentException("--stop-piece '" + options.stopPiece + "' is not a piece of the "
                        + "vocabulary of " + base);
            }
        }
        return SamplingConfig.builder().maxNewTokens(options.maxNewTokens).eosTokenId(stopId).build();
    }

    private KlPenalty klPenalty() {
        KlEstimator estimator = KlEstimator.K2;
        try {
            estimator = KlEstimator.fromKey(options.klEstimator);
        } catch (IllegalArgumentException e) {
            // Reported below with the flag name.
        }
        if (estimator == KlEstimator.K2) {
            throw new IllegalArgumentException("--kl-estimator must be k1, abs-k1 or k3, got " + options.klEstimator);
        }
        KlPenalty.Placement placement = Enums.parse(KlPenalty.Placement.class, "--kl-placement", options.klPlacement);
        return new KlPenalty(estimator, options.beta != null ? options.beta : KlPenalty.DEFAULT_BETA, placement);
    }

    private ReinforceConfig reinforceConfig(SamplingConfig sampling) {
        return ReinforceConfig.builder()
                .samplesPerPrompt(orDefault(options.samplesPerPrompt, 4))
                .promptsPerStep(orDefault(options.promptsPerStep, 4))
                .steps(orDefault(options.steps, REINFORCE_STEPS))
                .learningRate(options.learningRate != null ? options.learningRate : ONLINE_LEARNING_RATE)
                .warmupSteps(0)
                .scheduleKind(LearningRateSchedule.Kind.CONSTANT)
                .klPenalty(klPenalty())
                .sampling(sampling)
                .seed(options.seed)
                .build();
    }

    private PpoConfig ppoConfig(SamplingConfig sampling) {
        return PpoConfig.builder()
                .samplesPerPrompt(orDefault(options.samplesPerPrompt, 2))
                .promptsPerStep(orDefault(options.promptsPerStep, 8))
                .steps(orDefault(options.steps, PPO_STEPS))
                .epochs(options.ppoEpochs)
                .learningRate(options.learningRate != null ? options.learningRate : ONLINE_LEARNING_RATE)
                .criticLearningRate(CRITIC_LEARNING_RATE)
                .warmupSteps(0)
                .scheduleKind(LearningRateSchedule.Kind.CONSTANT)
                .klPenalty(klPenalty())
                .sampling(sampling)
                .seed(options.seed)
                .build();
    }

    private DpoTrainerConfig dpoConfig() {
        DpoTrainerConfig.Builder builder = DpoTrainerConfig.builder()
                .beta(options.beta != null ? options.beta : DPO_BETA)
                .sftWeight(options.sftWeight)
                .learningRate(options.learningRate != null ? options.learningRate : DPO_LEARNING_RATE)
                .globalBatchPairs(options.batchPairs)
                .microBatchPairs(options.batchPairs)
                .maxLength(options.maxLength)
                .truncationMode(TruncationMode.FILTER)
                .seed(options.seed)
                .logEvery(1);
        if (options.perTokenMean) {
            builder.averageLogProbs(true);
        }
        if (options.steps != null && options.epochs != null) {
            throw new IllegalArgumentException("--steps and --epochs were both given; give one of them");
        }
        if (options.epochs != null) {
            builder.epochs(options.epochs);
        } else {
            builder.maxSteps(orDefault(options.steps, DPO_STEPS));
        }
        return builder.build();
    }

    private static int orDefault(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private void summarize(Map<String, Object> metrics, boolean offline) {
        if (offline) {
            out.printf("Align %s: held-out preference accuracy %.3f -> %.3f, margin %.3f (%.1f s)%n",
                    metrics.get("algorithm"), metrics.get("held_out_accuracy_before"),
                    metrics.get("held_out_accuracy_after"), metrics.get("margin_after"), metrics.get("seconds"));
        } else {
            out.printf("Align %s: held-out reward %.3f -> %.3f, KL per token %.3f (%.1f s)%n",
                    metrics.get("algorithm"), metrics.get("held_out_reward_before"),
                    metrics.get("held_out_reward_after"), metrics.get("kl_per_token_after"), metrics.get("seconds"));
        }
        out.println("Wrote metrics.json, steps.jsonl, plots and " + PolicyPipeline.POLICY_FILE + " to "
                + options.out);
        out.flush();
    }
}
