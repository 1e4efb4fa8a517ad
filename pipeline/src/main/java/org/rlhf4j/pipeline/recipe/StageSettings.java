package org.rlhf4j.pipeline.recipe;

import java.util.List;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.regression.RegressionTrainerConfig;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.TruncationMode;

/**
 * One training stage of a recipe.
 *
 * @param name stage name that later stages refer to, for example {@code "regression"}
 * @param kind what the stage learns from
 * @param loss loss plugin name ({@code regression}, {@code bt}, {@code margin-bt}, {@code scaled-bt}, ...)
 * @param initFrom name of an earlier stage whose model (decoder and head) this stage starts from, or null to
 *     start from the base model with a new head
 * @param attributes head outputs of a regression stage, in order; empty for pairwise stages started from the
 *     base model
 * @param trainedAttributes attributes whose labels train the head; the others are masked
 * @param learningRate peak learning rate
 * @param schedule {@code constant} or {@code cosine}
 * @param minLearningRate floor of the cosine schedule
 * @param warmupSteps optimizer steps of linear warm-up
 * @param globalBatch records (ratings) or pairs per optimizer step
 * @param microBatch records or pairs per forward pass
 * @param epochs passes over the training data; ignored when {@code maxSteps} is positive
 * @param maxSteps optimizer steps of the stage, or 0 to train for {@code epochs} (key {@code max_steps},
 *     optional; a short smoke run of a whole recipe sets it)
 */
public record StageSettings(
        String name,
        StageKind kind,
        String loss,
        String initFrom,
        List<String> attributes,
        List<String> trainedAttributes,
        double learningRate,
        String schedule,
        double minLearningRate,
        int warmupSteps,
        int globalBatch,
        int microBatch,
        int epochs,
        long maxSteps) {

    public StageSettings {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
        }
        attributes = List.copyOf(attributes);
        trainedAttributes = List.copyOf(trainedAttributes);
    }

    /**
     * Returns the trainer settings of a pairwise stage.
     *
     * @param optimizer the recipe's optimizer settings
     * @param maxLength longest sequence in tokens
     * @param seed seed of the head initialisation and batch order
     * @return a validated trainer configuration
     */
    public RewardTrainerConfig toTrainerConfig(OptimizerSettings optimizer, int maxLength, long seed) {
        RewardTrainerConfig.Builder builder = RewardTrainerConfig.builder()
                .learningRate(learningRate)
                .schedule(LearningRateSchedule.Kind.fromName(schedule))
                .minLearningRate(minLearningRate)
                .warmupSteps(warmupSteps)
                .weightDecay(optimizer.weightDecay())
                .betas(optimizer.beta1(), optimizer.beta2())
                .epsilon(optimizer.epsilon())
                .maxGradNorm(optimizer.maxGradNorm())
                .globalBatchPairs(globalBatch)
                .microBatchPairs(microBatch);
        if (maxSteps > 0) {
            builder.maxSteps(maxSteps);
        } else {
            builder.epochs(epochs);
        }
        return builder.maxLength(maxLength)
                .truncationMode(TruncationMode.TRUNCATE)
                .seed(seed)
                .build();
    }

    /**
     * Returns the trainer settings of a regression stage.
     *
     * @param optimizer the recipe's optimizer settings
     * @param maxLength longest sequence in tokens
     * @param seed seed of the head initialisation and batch order
     * @return a validated trainer configuration
     */
    public RegressionTrainerConfig toRegressionConfig(OptimizerSettings optimizer, int maxLength, long seed) {
        RegressionTrainerConfig.Builder builder = RegressionTrainerConfig.builder()
                .learningRate(learningRate)
                .schedule(LearningRateSchedule.Kind.fromName(schedule))
                .minLearningRate(minLearningRate)
                .warmupSteps(warmupSteps)
                .weightDecay(optimizer.weightDecay())
                .betas(optimizer.beta1(), optimizer.beta2())
                .epsilon(optimizer.epsilon())
                .maxGradNorm(optimizer.maxGradNorm())
                .globalBatchSize(globalBatch)
                .microBatchSize(microBatch);
        if (maxSteps > 0) {
            builder.maxSteps(maxSteps);
        } else {
            builder.epochs(epochs);
        }
        return builder.maxLength(maxLength)
                .truncationMode(TruncationMode.TRUNCATE)
                .seed(seed)
                .build();
    }

    static StageSettings read(JsonFields fields) {
        String name = fields.string("name");
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new RecipeFormatException(fields.source(), fields.key("name"),
                    "expected lowercase letters, digits and inner hyphens, got '" + name + "'");
        }
        StageKind kind = StageKind.parse(fields.source(), fields.key("kind"), fields.string("kind"));
        String loss = fields.string("loss");
        String initFrom = fields.optString("init_from", null);
        List<String> attributes = fields.has("attributes") ? fields.strings("attributes") : List.of();
        List<String> trained = fields.has("trained_attributes") ? fields.strings("trained_attributes") : attributes;
        if (kind == StageKind.REGRESSION && attributes.isEmpty()) {
            throw new RecipeFormatException(fields.source(), fields.key("attributes"),
                    "a regression stage needs a non-empty list of head attributes");
        }
        for (String attribute : trained) {
            if (!attributes.contains(attribute)) {
                throw new RecipeFormatException(fields.source(), fields.key("trained_attributes"),
                        "'" + attribute + "' is not one of the head attributes " + attributes);
            }
        }
        String schedule = fields.string("schedule");
        if (!schedule.equals("constant") && !schedule.equals("cosine")) {
            throw new RecipeFormatException(fields.source(), fields.key("schedule"),
                    "expected 'constant' or 'cosine', got '" + schedule + "'");
        }
        double learningRate = fields.number("learning_rate", Double.MIN_VALUE, 1);
        double minLearningRate = fields.optNumber("min_learning_rate", 0, learningRate, 0);
        int warmupSteps = fields.integer("warmup_steps", 0, 1_000_000);
        int globalBatch = fields.integer("global_batch", 1, 1_000_000);
        int microBatch = fields.integer("micro_batch", 1, globalBatch);
        if (globalBatch % microBatch != 0) {
            throw new RecipeFormatException(fields.source(), fields.key("micro_batch"),
                    "global_batch " + globalBatch + " must be a multiple of micro_batch " + microBatch);
        }
        int epochs = fields.integer("epochs", 1, 10_000);
        long maxSteps = fields.optInteger("max_steps", 0, 100_000_000, 0);
        fields.rejectUnknownKeys();
        return new StageSettings(name, kind, loss, initFrom, attributes, trained, learningRate, schedule,
                minLearningRate, warmupSteps, globalBatch, microBatch, epochs, maxSteps);
    }
}
