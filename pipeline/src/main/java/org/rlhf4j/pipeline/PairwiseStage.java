package org.rlhf4j.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.RewardTrainer;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.TrainingResult;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a reward model on preference pairs with a Bradley-Terry-family loss, either from the base model
 * with a new scalar head or from an earlier stage's model with its head (for example a regression model,
 * whose helpfulness output becomes the reward).
 */
public final class PairwiseStage implements Stage {

    private static final Logger logger = LoggerFactory.getLogger(PairwiseStage.class);

    private final String name;
    private final String lossName;
    private final List<PreferencePair> pairs;
    private final RewardTrainerConfig config;
    private final String initFrom;

    private PairwiseStage(Builder builder) {
        this.name = Objects.requireNonNull(builder.name, "name");
        this.lossName = Objects.requireNonNull(builder.lossName, "loss");
        this.pairs = List.copyOf(Objects.requireNonNull(builder.pairs, "pairs"));
        this.config = Objects.requireNonNull(builder.config, "config");
        this.initFrom = builder.initFrom;
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("Stage '" + name + "' has no training pairs");
        }
    }

    /** Returns a builder for a stage with the given name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StageResult run(PipelineContext context) throws IOException {
        long started = System.nanoTime();
        RewardLoss loss = context.plugins().rewardLoss(lossName);
        try (LlamaRewardModel model = openModel(context)) {
            PairEncoder encoder = new PairEncoder(model.tokenizer(), context.template(), config.maxLength(),
                    config.truncationMode());
            EncodeResult encoded = encoder.encode(pairs);
            if (encoded.pairs().isEmpty()) {
                throw new IllegalArgumentException("Stage '" + name + "': no pairs left after encoding, dropped "
                        + encoded.dropped());
            }
            TrainingResult result;
            List<Double> losses = new ArrayList<>();
            List<Double> accuracies = new ArrayList<>();
            try (RewardTrainer trainer = new RewardTrainer(model, loss, config)) {
                trainer.addListener(step -> {
                    losses.add(step.loss());
                    accuracies.add(step.accuracy());
                });
                result = trainer.train(encoded.pairs());
            }
            model.save(context.modelDirectory(name));
            double seconds = (System.nanoTime() - started) / 1e9;
            logger.info("Stage '{}' trained {} with {} on {} pairs: loss {} -> {} in {} s", name,
                    initFrom == null ? "the base model" : "the model of '" + initFrom + "'", lossName,
                    encoded.pairs().size(), result.firstLoss(), result.lastLoss(), Math.round(seconds));
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("loss", lossName);
            metrics.put("init_from", initFrom == null ? "base" : initFrom);
            metrics.put("pairs", encoded.pairs().size());
            metrics.put("steps", result.steps());
            metrics.put("loss_first", result.firstLoss());
            metrics.put("loss_last", result.lastLoss());
            metrics.put("seconds", seconds);
            StageFiles.writeTraining(context.stageDirectory(name), metrics, losses, accuracies);
            return new StageResult(name, context.modelDirectory(name), metrics);
        }
    }

    private LlamaRewardModel openModel(PipelineContext context) throws IOException {
        if (initFrom != null) {
            return LlamaRewardModel.load(context.modelOf(initFrom), null);
        }
        return LlamaRewardModel.fromGguf(context.baseModel(), RewardHeadSpec.scalar(), config.seed());
    }

    /** Builder of a {@link PairwiseStage}. */
    public static final class Builder {

        private final String name;
        private String lossName = "bt";
        private List<PreferencePair> pairs;
        private RewardTrainerConfig config;
        private String initFrom;

        private Builder(String name) {
            this.name = name;
        }

        /** Sets the reward-loss plugin name; default {@code bt}. */
        public Builder loss(String value) {
            this.lossName = value;
            return this;
        }

        /** Sets the training pairs. */
        public Builder pairs(List<PreferencePair> value) {
            this.pairs = value;
            return this;
        }

        /** Sets the trainer settings. */
        public Builder config(RewardTrainerConfig value) {
            this.config = value;
            return this;
        }

        /** Starts from the model of an earlier stage, head included, instead of the base model. */
        public Builder initFrom(String stage) {
            this.initFrom = stage;
            return this;
        }

        /** Returns the stage. */
        public PairwiseStage build() {
            return new PairwiseStage(this);
        }
    }
}
