package org.rlhf4j.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rlhf4j.algorithms.eval.PairwiseEvaluator;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.hardware.Cluster;
import org.rlhf4j.hardware.PlacementCheck;
import org.rlhf4j.hardware.PlacementPlan;
import org.rlhf4j.hardware.RoleSpec;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.chat.PlainChatTemplate;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chain of reward-model stages (train, train from an earlier stage, extrapolate) followed by the
 * evaluation of every stage's model on the same held-out sets.
 *
 * <pre>{@code
 * PipelineResult result = RewardPipeline.builder()
 *         .baseModel(Path.of("bundled/models/stories260K/stories260K.gguf"))
 *         .outputDirectory(Path.of("runs/chain"))
 *         .stage(PairwiseStage.builder("bt").loss("bt").pairs(train).config(config).build())
 *         .stage(PairwiseStage.builder("scaled-bt").loss("scaled-bt").initFrom("bt").pairs(train).config(config).build())
 *         .evaluate(new EvaluationSet("held-out", heldOut))
 *         .build()
 *         .run();
 * }</pre>
 */
public final class RewardPipeline {

    private static final Logger logger = LoggerFactory.getLogger(RewardPipeline.class);

    private final Path baseModel;
    private final Path outputDirectory;
    private final PluginRegistry plugins;
    private final ChatTemplate template;
    private final long seed;
    private final int maxLength;
    private final int evaluationBatchPairs;
    private final List<Stage> stages;
    private final List<EvaluationSet> evaluationSets;
    private final PlacementPlan placement;

    private RewardPipeline(Builder builder) {
        this.baseModel = Objects.requireNonNull(builder.baseModel, "baseModel");
        this.outputDirectory = Objects.requireNonNull(builder.outputDirectory, "outputDirectory");
        this.plugins = builder.plugins != null ? builder.plugins : PluginDiscovery.discoverDefault();
        this.template = builder.template;
        this.seed = builder.seed;
        this.maxLength = builder.evaluationMaxLength;
        this.evaluationBatchPairs = builder.evaluationBatchPairs;
        this.stages = List.copyOf(builder.stages);
        this.evaluationSets = List.copyOf(builder.evaluationSets);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("A pipeline needs at least one stage");
        }
        Set<String> names = new HashSet<>();
        for (Stage stage : stages) {
            if (!names.add(stage.name())) {
                throw new IllegalArgumentException("Stage name '" + stage.name() + "' is used twice");
            }
        }
        this.placement = builder.cluster == null ? null : PlacementCheck.requireFits(builder.cluster, builder.roles);
    }

    /** Returns the placement plan checked at build time, or null when no target cluster was given. */
    public PlacementPlan placement() {
        return placement;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the stages in run order. */
    public List<Stage> stages() {
        return stages;
    }

    /**
     * Runs every stage in order, then scores every stage's model on every evaluation set.
     *
     * @return stage results and accuracies
     * @throws IOException when data or models cannot be read or written
     */
    public PipelineResult run() throws IOException {
        PipelineContext context = new PipelineContext(baseModel, plugins, template, seed, outputDirectory);
        for (Stage stage : stages) {
            logger.info("Pipeline stage '{}' starts", stage.name());
            context.record(stage.run(context));
        }
        Map<String, Map<String, PairwiseReport>> evaluations = new LinkedHashMap<>();
        for (StageResult result : context.results().values()) {
            evaluations.put(result.stage(), evaluate(result));
        }
        return new PipelineResult(context.results(), evaluations);
    }

    private Map<String, PairwiseReport> evaluate(StageResult result) throws IOException {
        Map<String, PairwiseReport> reports = new LinkedHashMap<>();
        if (evaluationSets.isEmpty()) {
            return reports;
        }
        try (LlamaRewardModel model = LlamaRewardModel.load(result.modelDirectory(), null)) {
            PairEncoder encoder = new PairEncoder(model.tokenizer(), template, maxLength, TruncationMode.TRUNCATE);
            PairwiseEvaluator evaluator = new PairwiseEvaluator(model, evaluationBatchPairs, PaddingSide.RIGHT,
                    model.tokenizer().padId());
            for (EvaluationSet set : evaluationSets) {
                EncodeResult encoded = encoder.encode(set.pairs());
                PairwiseReport report = evaluator.evaluate(encoded.pairs());
                Path folder = StageFiles.writeEvaluation(result.modelDirectory().getParent(), set.name(), report);
                logger.info("Stage '{}' on '{}': accuracy {} over {} pairs ({} ties), written to {}", result.stage(),
                        set.name(), report.accuracy(), report.pairs(), report.ties(), folder);
                reports.put(set.name(), report);
            }
        }
        return reports;
    }

    /** Builder of a {@link RewardPipeline}. */
    public static final class Builder {

        private Path baseModel;
        private Path outputDirectory;
        private PluginRegistry plugins;
        private ChatTemplate template = new PlainChatTemplate();
        private long seed = 42;
        private int evaluationMaxLength = 192;
        private int evaluationBatchPairs = 32;
        private final List<Stage> stages = new ArrayList<>();
        private final List<EvaluationSet> evaluationSets = new ArrayList<>();
        private Cluster cluster;
        private List<RoleSpec> roles;

        private Builder() {}

        /**
         * Sets the cluster the pipeline is meant for and the model roles it runs there. {@link #build()} then
         * plans their placement and throws {@link org.rlhf4j.hardware.PlacementException}, with the
         * planner's explanation, when they cannot fit.
         */
        public Builder targetCluster(Cluster value, List<RoleSpec> modelRoles) {
            this.cluster = Objects.requireNonNull(value, "cluster");
            this.roles = List.copyOf(modelRoles);
            return this;
        }

        /** Sets the GGUF model that stages without an earlier model start from. */
        public Builder baseModel(Path value) {
            this.baseModel = value;
            return this;
        }

        /** Sets the folder that receives one sub-folder per stage. */
        public Builder outputDirectory(Path value) {
            this.outputDirectory = value;
            return this;
        }

        /** Sets the plugin registry; by default plugins are discovered on the module and class path. */
        public Builder plugins(PluginRegistry value) {
            this.plugins = value;
            return this;
        }

        /** Sets the chat template; default {@code plain}. */
        public Builder template(ChatTemplate value) {
            this.template = Objects.requireNonNull(value, "template");
            return this;
        }

        /** Sets the seed used by stages that create a new head; default 42. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Sets the longest evaluated sequence in tokens; default 192. */
        public Builder evaluationMaxLength(int value) {
            if (value < 4) {
                throw new IllegalArgumentException("evaluationMaxLength must be >= 4, got " + value);
            }
            this.evaluationMaxLength = value;
            return this;
        }

        /** Sets the pairs per evaluation batch; default 32. */
        public Builder evaluationBatchPairs(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("evaluationBatchPairs must be >= 1, got " + value);
            }
            this.evaluationBatchPairs = value;
            return this;
        }

        /** Appends a stage. */
        public Builder stage(Stage value) {
            stages.add(Objects.requireNonNull(value, "stage"));
            return this;
        }

        /** Adds a set that every stage's model is scored on after the last stage. */
        public Builder evaluate(EvaluationSet value) {
            evaluationSets.add(Objects.requireNonNull(value, "evaluation set"));
            return this;
        }

        /** Returns the pipeline. */
        public RewardPipeline build() {
            return new RewardPipeline(this);
        }
    }
}
