package org.rlhf4j.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.algorithms.regression.RatedEncodeResult;
import org.rlhf4j.algorithms.regression.RatedEncoder;
import org.rlhf4j.algorithms.regression.RegressionResult;
import org.rlhf4j.algorithms.regression.RegressionTargets;
import org.rlhf4j.algorithms.regression.RegressionTrainer;
import org.rlhf4j.algorithms.regression.RegressionTrainerConfig;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.loss.RegressionLoss;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a multi-attribute regression reward model (SteerLM regression) on rated responses, from the base
 * model with a new head of one output per attribute. The head's reward slot is the helpfulness attribute
 * when the targets have one, so a later {@link PairwiseStage} with {@code initFrom} this stage starts
 * Bradley-Terry training from the predicted helpfulness.
 */
public final class RegressionStage implements Stage {

    private static final Logger logger = LoggerFactory.getLogger(RegressionStage.class);

    private final String name;
    private final String lossName;
    private final RegressionTargets targets;
    private final List<RatedResponse> responses;
    private final RegressionTrainerConfig config;

    private RegressionStage(Builder builder) {
        this.name = Objects.requireNonNull(builder.name, "name");
        this.lossName = Objects.requireNonNull(builder.lossName, "loss");
        this.targets = Objects.requireNonNull(builder.targets, "targets");
        this.responses = List.copyOf(Objects.requireNonNull(builder.responses, "responses"));
        this.config = Objects.requireNonNull(builder.config, "config");
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("Stage '" + name + "' has no rated responses");
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
        RegressionLoss loss = context.plugins().regressionLoss(lossName);
        try (LlamaRewardModel model = LlamaRewardModel.fromGguf(context.baseModel(), targets.headSpec(), config.seed())) {
            RatedEncoder encoder = new RatedEncoder(model.tokenizer(), context.template(), targets, config.maxLength(),
                    config.truncationMode());
            RatedEncodeResult encoded = encoder.encode(responses);
            if (encoded.examples().isEmpty()) {
                throw new IllegalArgumentException("Stage '" + name + "': no labelled responses left after encoding, "
                        + "dropped " + encoded.dropped());
            }
            RegressionResult result;
            List<Double> losses = new ArrayList<>();
            try (RegressionTrainer trainer = new RegressionTrainer(model, loss, config)) {
                trainer.addListener(step -> losses.add(step.loss()));
                result = trainer.train(encoded.examples());
            }
            model.save(context.modelDirectory(name));
            double seconds = (System.nanoTime() - started) / 1e9;
            logger.info("Stage '{}' trained regression on {} responses, attributes {} (trained {}): loss {} -> {} in {} s",
                    name, encoded.examples().size(), targets.attributes(), trainedAttributes(), result.firstLoss(),
                    result.lastLoss(), Math.round(seconds));
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("loss", lossName);
            metrics.put("attributes", String.join(",", targets.attributes()));
            metrics.put("trained_attributes", String.join(",", trainedAttributes()));
            metrics.put("responses", encoded.examples().size());
            metrics.put("steps", result.steps());
            metrics.put("loss_first", result.firstLoss());
            metrics.put("loss_last", result.lastLoss());
            metrics.put("seconds", seconds);
            StageFiles.writeTraining(context.stageDirectory(name), metrics, losses, List.of());
            return new StageResult(name, context.modelDirectory(name), metrics);
        }
    }

    private List<String> trainedAttributes() {
        return targets.targets().stream().filter(RegressionTargets.Target::trained)
                .map(RegressionTargets.Target::attribute).toList();
    }

    /** Builder of a {@link RegressionStage}. */
    public static final class Builder {

        private final String name;
        private String lossName = "regression";
        private RegressionTargets targets;
        private List<RatedResponse> responses;
        private RegressionTrainerConfig config;

        private Builder(String name) {
            this.name = name;
        }

        /** Sets the regression-loss plugin name; default {@code regression}. */
        public Builder loss(String value) {
            this.lossName = value;
            return this;
        }

        /** Sets the head attributes, which of them are trained, and the reward slot. */
        public Builder targets(RegressionTargets value) {
            this.targets = value;
            return this;
        }

        /** Sets the rated responses to train on. */
        public Builder responses(List<RatedResponse> value) {
            this.responses = value;
            return this;
        }

        /** Sets the trainer settings. */
        public Builder config(RegressionTrainerConfig value) {
            this.config = value;
            return this;
        }

        /** Returns the stage. */
        public RegressionStage build() {
            return new RegressionStage(this);
        }
    }
}
