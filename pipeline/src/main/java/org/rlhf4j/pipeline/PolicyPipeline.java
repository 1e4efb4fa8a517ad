package org.rlhf4j.pipeline;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.algorithms.policy.dpo.DpoEncodeResult;
import org.rlhf4j.algorithms.policy.dpo.DpoEncoder;
import org.rlhf4j.algorithms.policy.dpo.DpoExample;
import org.rlhf4j.algorithms.policy.dpo.DpoStepMetrics;
import org.rlhf4j.algorithms.policy.dpo.DpoTrainer;
import org.rlhf4j.algorithms.policy.dpo.DpoTrainerConfig;
import org.rlhf4j.algorithms.policy.dpo.PreferenceEvaluation;
import org.rlhf4j.algorithms.policy.online.CombinedReward;
import org.rlhf4j.algorithms.policy.online.KlPenalty;
import org.rlhf4j.algorithms.policy.online.PpoConfig;
import org.rlhf4j.algorithms.policy.online.PpoStepMetrics;
import org.rlhf4j.algorithms.policy.online.PpoTrainer;
import org.rlhf4j.algorithms.policy.online.ReinforceConfig;
import org.rlhf4j.algorithms.policy.online.ReinforceStepMetrics;
import org.rlhf4j.algorithms.policy.online.ReinforceTrainer;
import org.rlhf4j.algorithms.policy.online.RewardModelSource;
import org.rlhf4j.algorithms.policy.online.RolloutStats;
import org.rlhf4j.algorithms.policy.online.ValueModel;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.api.policy.PolicyOptimizer;
import org.rlhf4j.api.policy.PreferenceOptimizer;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.chat.PlainChatTemplate;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aligns a policy with one policy-optimizer plugin: DPO and its variants on preference pairs, or
 * PPO and REINFORCE on prompts, scored by a reward model that is either given as a saved folder or
 * trained first by a reward {@link Stage}. The policy and the frozen reference start from the same
 * GGUF model.
 *
 * <p>Online runs measure the mean reward of samples for the held-out prompts before and after
 * training, with a fixed sampling seed, and the KL of the trained policy to the reference on those
 * samples. DPO runs measure the held-out preference accuracy of the policy's implicit reward. The
 * trained weights are saved as {@value #POLICY_FILE} in the output folder, next to
 * {@code metrics.json}, {@code steps.jsonl} and the per-step plots ({@code reward.png} and
 * {@code kl.png} for online runs, {@code reward.png} and {@code loss.png} for DPO-family runs).
 *
 * <pre>{@code
 * PolicyResult result = PolicyPipeline.builder()
 *         .algorithm("reinforce")
 *         .baseModel(gguf)
 *         .outputDirectory(Path.of("runs/align"))
 *         .rewardStage(PairwiseStage.builder("reward-model").pairs(pairs).config(rewardConfig).build())
 *         .prompts(trainPrompts, heldOutPrompts)
 *         .reinforce(ReinforceConfig.builder().steps(40).sampling(sampling).build())
 *         .build()
 *         .run();
 * }</pre>
 */
public final class PolicyPipeline {

    /** File name of the trained policy's weights in the output folder. */
    public static final String POLICY_FILE = "policy.safetensors";

    /** Name under which the reward model's mean reward is logged. */
    public static final String REWARD_SOURCE = "reward-model";

    private static final Logger logger = LoggerFactory.getLogger(PolicyPipeline.class);

    private final String algorithm;
    private final PolicyOptimizer optimizer;
    private final Path baseModel;
    private final Path outputDirectory;
    private final PluginRegistry plugins;
    private final ChatTemplate template;
    private final Path rewardModel;
    private final Stage rewardStage;
    private final List<List<Turn>> trainPrompts;
    private final List<List<Turn>> heldOutPrompts;
    private final List<PreferencePair> trainPairs;
    private final List<PreferencePair> heldOutPairs;
    private final ReinforceConfig reinforce;
    private final PpoConfig ppo;
    private final Device device;
    private final DpoTrainerConfig dpo;
    private final int maxPromptTokens;
    private final int evaluationSamples;
    private final int maxEvaluationPrompts;
    private final long evaluationSeed;
    private final long seed;

    private PolicyPipeline(Builder builder) {
        this.plugins = builder.plugins != null ? builder.plugins : PluginDiscovery.discoverDefault();
        this.algorithm = Objects.requireNonNull(builder.algorithm, "algorithm");
        this.optimizer = plugins.policyOptimizer(algorithm);
        this.baseModel = Objects.requireNonNull(builder.baseModel, "baseModel");
        this.outputDirectory = Objects.requireNonNull(builder.outputDirectory, "outputDirectory");
        this.template = builder.template;
        this.rewardModel = builder.rewardModel;
        this.rewardStage = builder.rewardStage;
        this.trainPrompts = builder.trainPrompts;
        this.heldOutPrompts = builder.heldOutPrompts;
        this.trainPairs = builder.trainPairs;
        this.heldOutPairs = builder.heldOutPairs;
        this.reinforce = builder.reinforce != null ? builder.reinforce : ReinforceConfig.builder().build();
        this.ppo = builder.ppo != null ? builder.ppo : PpoConfig.builder().build();
        this.device = builder.device;
        this.dpo = builder.dpo != null ? builder.dpo : DpoTrainerConfig.builder().build();
        this.maxPromptTokens = builder.maxPromptTokens;
        this.evaluationSamples = builder.evaluationSamples;
        this.maxEvaluationPrompts = builder.maxEvaluationPrompts;
        this.evaluationSeed = builder.evaluationSeed;
        this.seed = builder.seed;
        checkInputs();
    }

    private void checkInputs() {
        if (isOffline()) {
            if (trainPairs == null || trainPairs.isEmpty() || heldOutPairs == null || heldOutPairs.isEmpty()) {
                throw new IllegalArgumentException(algorithm + " needs training and held-out preference pairs");
            }
            return;
        }
        if (!(optimizer.mode() == PolicyOptimizer.Mode.ONLINE_ROLLOUTS && isKnownOnline())) {
            throw new IllegalArgumentException("policy optimizer '" + algorithm + "' has no trainer in the pipeline;"
                    + " it runs ppo, reinforce and preference optimizers");
        }
        if (trainPrompts == null || trainPrompts.isEmpty() || heldOutPrompts == null || heldOutPrompts.isEmpty()) {
            throw new IllegalArgumentException(algorithm + " needs training and held-out prompts");
        }
        if ((rewardModel == null) == (rewardStage == null)) {
            throw new IllegalArgumentException(algorithm + " needs exactly one of a saved reward model and a reward"
                    + " stage that trains one");
        }
        if (rewardModel != null && !Files.isDirectory(rewardModel)) {
            throw new IllegalArgumentException("reward model folder " + rewardModel + " does not exist");
        }
    }

    private boolean isOffline() {
        return optimizer instanceof PreferenceOptimizer;
    }

    private boolean isKnownOnline() {
        return optimizer.name().equals("ppo") || optimizer.name().equals("reinforce");
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the policy-optimizer plugin the pipeline runs. */
    public PolicyOptimizer optimizer() {
        return optimizer;
    }

    /**
     * Trains the reward model when a stage is set, then the policy, and saves the policy's weights.
     *
     * @return the measurements of the run
     * @throws IOException when a model or data file cannot be read or written
     */
    public PolicyResult run() throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(outputDirectory);
        if (isOffline()) {
            return runDpo(started);
        }
        Path rewardFolder = rewardModel != null ? rewardModel : trainRewardModel();
        return runOnline(rewardFolder, started);
    }

    private Path trainRewardModel() throws IOException {
        logger.info("Training the reward model in stage '{}'", rewardStage.name());
        PipelineContext context = new PipelineContext(baseModel, plugins, template, seed, outputDirectory);
        StageResult result = rewardStage.run(context);
        return result.modelDirectory();
    }

    private PolicyResult runOnline(Path rewardFolder, long started) throws IOException {
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(GgufFile.open(baseModel));
        List<int[]> train = encodePrompts(tokenizer, trainPrompts, "training", Integer.MAX_VALUE);
        List<int[]> heldOut = encodePrompts(tokenizer, heldOutPrompts, "held-out", maxEvaluationPrompts);
        List<Map<String, Object>> steps = new ArrayList<>();
        boolean isPpo = optimizer.name().equals("ppo");
        try (LlamaModel policy = LlamaModel.fromGguf(GgufFile.open(baseModel), device);
                LlamaRewardModel scorer = LlamaRewardModel.load(rewardFolder, RewardHeadSpec.scalar(), device)) {
            // The reward model reads each sample as the text it was trained on: prompt, response,
            // the template's closing marker and EOS, even though the policy stops at another token.
            CombinedReward reward = CombinedReward.of(RewardModelSource.reencoding(REWARD_SOURCE, scorer,
                    scorer.tokenizer(), template, RewardModelSource.DEFAULT_BATCH_SIZE));
            RolloutStats before;
            RolloutStats after;
            KlPenalty penalty;
            int stepCount;
            if (isPpo) {
                try (ValueModel critic = ValueModel.fromRewardModel(scorer);
                        PpoTrainer trainer = new PpoTrainer(policy, critic, reward, ppo)) {
                    trainer.addListener(metrics -> steps.add(ppoStep(metrics)));
                    before = trainer.evaluate(heldOut, evaluationSamples, evaluationSeed);
                    trainer.train(train);
                    after = trainer.evaluate(heldOut, evaluationSamples, evaluationSeed);
                }
                penalty = ppo.klPenalty();
                stepCount = ppo.steps();
            } else {
                try (ReinforceTrainer trainer = new ReinforceTrainer(policy, reward, reinforce)) {
                    trainer.addListener(metrics -> steps.add(reinforceStep(metrics)));
                    before = trainer.evaluate(heldOut, evaluationSamples, evaluationSeed);
                    trainer.train(train);
                    after = trainer.evaluate(heldOut, evaluationSamples, evaluationSeed);
                }
                penalty = reinforce.klPenalty();
                stepCount = reinforce.steps();
            }
            Path weights = outputDirectory.resolve(POLICY_FILE);
            policy.saveWeights(weights);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("algorithm", optimizer.name());
            metrics.put("steps", stepCount);
            metrics.put("train_prompts", train.size());
            metrics.put("held_out_prompts", heldOut.size());
            metrics.put("evaluation_samples_per_prompt", evaluationSamples);
            metrics.put("evaluation_seed", evaluationSeed);
            metrics.put("held_out_reward_before", before.rewardMean());
            metrics.put("held_out_reward_after", after.rewardMean());
            metrics.put("kl_per_token_after", after.kl().perToken());
            metrics.put("kl_per_sequence_after", after.kl().perSequence());
            metrics.put("kl_estimator", penalty.estimator().key());
            metrics.put("kl_beta", penalty.beta());
            metrics.put("kl_placement", penalty.placement().name().toLowerCase(Locale.ROOT));
            metrics.put("ended_fraction_before", before.endedFraction());
            metrics.put("ended_fraction_after", after.endedFraction());
            metrics.put("response_length_before", before.meanResponseLength());
            metrics.put("response_length_after", after.meanResponseLength());
            metrics.put("reward_model", rewardFolder.toString());
            long idle = steps.stream().filter(step -> Boolean.FALSE.equals(step.get("updated"))).count();
            if (!isPpo) {
                metrics.put("steps_without_update", idle);
            }
            if (!isPpo && idle == stepCount) {
                logger.warn("{}: no step updated the policy, because in every step at most one sample of a "
                        + "prompt ended; allow longer responses (--max-new-tokens) or sample more per prompt",
                        optimizer.name());
            }
            metrics.put("seconds", seconds(started));
            logger.info("{}: held-out reward {} -> {}, KL per token {} after {} steps", optimizer.name(),
                    before.rewardMean(), after.rewardMean(), after.kl().perToken(), stepCount);
            PolicyResult result = new PolicyResult(optimizer.name(), metrics, steps, weights, rewardFolder);
            PolicyFiles.write(outputDirectory, result, false);
            return result;
        }
    }

    private List<int[]> encodePrompts(SentencePieceTokenizer tokenizer, List<List<Turn>> prompts, String role,
            int limit) {
        List<int[]> encoded = new ArrayList<>();
        for (List<Turn> prompt : prompts) {
            if (encoded.size() == limit) {
                break;
            }
            int[] ids = tokenizer.encodeWithSpecials(template.promptPrefix(prompt), true, false);
            if (ids.length <= maxPromptTokens) {
                encoded.add(ids);
            }
        }
        if (encoded.isEmpty()) {
            throw new IllegalArgumentException("none of the " + prompts.size() + " " + role
                    + " prompts fits in " + maxPromptTokens + " tokens; raise --max-prompt-tokens");
        }
        logger.info("{} {} prompts of at most {} tokens (of {})", encoded.size(), role, maxPromptTokens,
                prompts.size());
        return encoded;
    }

    private PolicyResult runDpo(long started) throws IOException {
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(GgufFile.open(baseModel));
        DpoEncoder encoder = new DpoEncoder(tokenizer, template, dpo.maxLength(), dpo.truncationMode());
        List<DpoExample> train = requireExamples(encoder.encode(trainPairs), "training");
        List<DpoExample> heldOut = requireExamples(encoder.encode(heldOutPairs), "held-out");
        List<Map<String, Object>> steps = new ArrayList<>();
        try (LlamaModel policy = LlamaModel.fromGguf(GgufFile.open(baseModel), device);
                LlamaModel reference = policy.copy(null);
                DpoTrainer trainer = new DpoTrainer(policy, reference, (PreferenceOptimizer) optimizer, dpo)) {
            trainer.addListener(metrics -> steps.add(dpoStep(metrics)));
            PreferenceEvaluation before = trainer.evaluate(heldOut);
            trainer.train(train);
            PreferenceEvaluation after = trainer.evaluate(heldOut);
            Path weights = outputDirectory.resolve(POLICY_FILE);
            policy.saveWeights(weights);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("algorithm", optimizer.name());
            metrics.put("steps", steps.size());
            metrics.put("train_pairs", train.size());
            metrics.put("held_out_pairs", heldOut.size());
            metrics.put("held_out_accuracy_before", before.accuracy());
            metrics.put("held_out_accuracy_after", after.accuracy());
            metrics.put("ties_before", before.ties());
            metrics.put("ties_after", after.ties());
            metrics.put("chosen_reward_before", before.meanChosenReward());
            metrics.put("rejected_reward_before", before.meanRejectedReward());
            metrics.put("chosen_reward_after", after.meanChosenReward());
            metrics.put("rejected_reward_after", after.meanRejectedReward());
            metrics.put("margin_after", after.meanMargin());
            metrics.put("held_out_loss_before", before.meanLoss());
            metrics.put("held_out_loss_after", after.meanLoss());
            metrics.put("beta", dpo.beta());
            metrics.put("seconds", seconds(started));
            logger.info("{}: held-out preference accuracy {} -> {}, margin {} after {} steps", optimizer.name(),
                    before.accuracy(), after.accuracy(), after.meanMargin(), steps.size());
            PolicyResult result = new PolicyResult(optimizer.name(), metrics, steps, weights, null);
            PolicyFiles.write(outputDirectory, result, true);
            return result;
        }
    }

    private static List<DpoExample> requireExamples(DpoEncodeResult encoded, String role) {
        if (encoded.examples().isEmpty()) {
            throw new IllegalArgumentException("no " + role + " pairs left after encoding (" + encoded.seen()
                    + " seen, dropped " + encoded.dropped() + "); raise --max-length");
        }
        return encoded.examples();
    }

    private static double seconds(long started) {
        return Math.round((System.nanoTime() - started) / 1e8) / 10.0;
    }

    private static Map<String, Object> rolloutStep(long step, RolloutStats rollout) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("reward", rollout.rewardMean());
        line.put("kl_per_token", rollout.kl().perToken());
        line.put("kl_per_sequence", rollout.kl().perSequence());
        line.put("ended_fraction", rollout.endedFraction());
        line.put("response_length", rollout.meanResponseLength());
        return line;
    }

    private static Map<String, Object> reinforceStep(ReinforceStepMetrics metrics) {
        Map<String, Object> line = rolloutStep(metrics.step(), metrics.rollout());
        line.put("loss", metrics.loss());
        line.put("mean_abs_advantage", metrics.meanAdvantage());
        line.put("updated", metrics.updated());
        line.put("learning_rate", metrics.learningRate());
        line.put("grad_norm", metrics.gradNorm());
        line.put("seconds", metrics.seconds());
        return line;
    }

    private static Map<String, Object> ppoStep(PpoStepMetrics metrics) {
        Map<String, Object> line = rolloutStep(metrics.step(), metrics.rollout());
        line.put("loss", metrics.policyLoss());
        line.put("value_loss", metrics.valueLoss());
        line.put("policy_clip_fraction", metrics.policyClipFraction());
        line.put("value_clip_fraction", metrics.valueClipFraction());
        line.put("entropy", metrics.entropy());
        line.put("learning_rate", metrics.learningRate());
        line.put("grad_norm", metrics.gradNorm());
        line.put("critic_grad_norm", metrics.criticGradNorm());
        line.put("seconds", metrics.seconds());
        return line;
    }

    private static Map<String, Object> dpoStep(DpoStepMetrics metrics) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", metrics.step());
        line.put("epoch", metrics.epoch());
        line.put("loss", metrics.loss());
        line.put("preference_loss", metrics.preferenceLoss());
        line.put("sft_loss", metrics.sftLoss());
        line.put("accuracy", metrics.accuracy());
        line.put("chosen_reward", metrics.chosenReward());
        line.put("rejected_reward", metrics.rejectedReward());
        line.put("learning_rate", metrics.learningRate());
        line.put("grad_norm", metrics.gradNorm());
        line.put("seconds", metrics.seconds());
        return line;
    }

    /** Builder of a {@link PolicyPipeline}. */
    public static final class Builder {

        private String algorithm;
        private PluginRegistry plugins;
        private Path baseModel;
        private Path outputDirectory;
        private ChatTemplate template = new PlainChatTemplate();
        private Path rewardModel;
        private Stage rewardStage;
        private List<List<Turn>> trainPrompts;
        private List<List<Turn>> heldOutPrompts;
        private List<PreferencePair> trainPairs;
        private List<PreferencePair> heldOutPairs;
        private ReinforceConfig reinforce;
        private PpoConfig ppo;
        private Device device;
        private DpoTrainerConfig dpo;
        private int maxPromptTokens = 48;
        private int evaluationSamples = 4;
        private int maxEvaluationPrompts = 16;
        private long evaluationSeed = 99;
        private long seed = 42;

        private Builder() {}

        /** Sets the policy-optimizer plugin by name: dpo, ipo, margin-dpo, scaled-dpo, ppo or reinforce. */
        public Builder algorithm(String value) {
            this.algorithm = value;
            return this;
        }

        /** Sets the plugin registry; by default plugins are discovered on the module and class path. */
        public Builder plugins(PluginRegistry value) {
            this.plugins = value;
            return this;
        }

        /** Sets the GGUF model that the policy, the reference and a trained reward model start from. */
        public Builder baseModel(Path value) {
            this.baseModel = value;
            return this;
        }

        /** Sets the folder that receives the policy's weights and a trained reward model. */
        public Builder outputDirectory(Path value) {
            this.outputDirectory = value;
            return this;
        }

        /** Sets the chat template that renders prompts; default {@code plain}. */
        public Builder template(ChatTemplate value) {
            this.template = Objects.requireNonNull(value, "template");
            return this;
        }

        /** Scores online samples with a reward model saved by {@code train-reward} or a reward stage. */
        public Builder rewardModel(Path value) {
            this.rewardModel = value;
            return this;
        }

        /** Trains the reward model for online samples first, with this stage, into the output folder. */
        public Builder rewardStage(Stage value) {
            this.rewardStage = value;
            return this;
        }

        /** Sets the prompts that online algorithms train on and are measured on. */
        public Builder prompts(List<List<Turn>> train, List<List<Turn>> heldOut) {
            this.trainPrompts = List.copyOf(train);
            this.heldOutPrompts = List.copyOf(heldOut);
            return this;
        }

        /** Sets the preference pairs that DPO-family algorithms train on and are measured on. */
        public Builder preferencePairs(List<PreferencePair> train, List<PreferencePair> heldOut) {
            this.trainPairs = List.copyOf(train);
            this.heldOutPairs = List.copyOf(heldOut);
            return this;
        }

        /**
         * Sets the device that holds the policy, its reference, the reward model and the critic, where
         * generation and training run; default: the engine's default device. A reward stage still
         * trains on the engine's default device.
         */
        public Builder device(Device value) {
            this.device = value;
            return this;
        }

        /** Sets the REINFORCE settings; default {@code ReinforceConfig.builder().build()}. */
        public Builder reinforce(ReinforceConfig value) {
            this.reinforce = value;
            return this;
        }

        /** Sets the PPO settings; default {@code PpoConfig.builder().build()}. */
        public Builder ppo(PpoConfig value) {
            this.ppo = value;
            return this;
        }

        /** Sets the DPO settings; default {@code DpoTrainerConfig.builder().build()}. */
        public Builder dpo(DpoTrainerConfig value) {
            this.dpo = value;
            return this;
        }

        /** Keeps only prompts of at most this many tokens, BOS included; default 48. */
        public Builder maxPromptTokens(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("--max-prompt-tokens must be >= 1, got " + value);
            }
            this.maxPromptTokens = value;
            return this;
        }

        /** Sets the samples per held-out prompt of the before and after measurement; default 4. */
        public Builder evaluationSamples(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("--eval-samples must be >= 1, got " + value);
            }
            this.evaluationSamples = value;
            return this;
        }

        /** Measures online runs on the first this many held-out prompts that fit; default 16. */
        public Builder maxEvaluationPrompts(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("--eval-prompts must be >= 1, got " + value);
            }
            this.maxEvaluationPrompts = value;
            return this;
        }

        /** Sets the sampling seed of the before and after measurement; default 99. */
        public Builder evaluationSeed(long value) {
            this.evaluationSeed = value;
            return this;
        }

        /** Sets the seed handed to a reward stage; default 42. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Returns the pipeline.
         *
         * @throws IllegalArgumentException when the algorithm is unknown (the message lists the known
         *     names) or its inputs are missing
         */
        public PolicyPipeline build() {
            return new PolicyPipeline(this);
        }
    }
}
