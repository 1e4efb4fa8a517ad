package org.rlhf4j.algorithms.regression;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.GradientClipping;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.policy.ParameterGradients;
import org.rlhf4j.algorithms.reward.ProgressBar;
import org.rlhf4j.api.loss.RegressionLoss;
import org.rlhf4j.models.reward.RewardModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the head outputs of a {@link RewardModel} to regress per-attribute ratings with a
 * {@link RegressionLoss}, such as the masked MSE plugin {@code regression}.
 *
 * <p>Each optimizer step takes {@code globalBatchSize} examples as {@code globalBatchSize /
 * microBatchSize} micro batches. For each micro batch, {@link RewardModel#forward} gives the head
 * outputs {@code [batch, slots]}, the loss compares them with the labels under the label mask, and
 * the micro batch's loss, scaled by {@code microLabelled / stepLabelled} (its share of the step's
 * labelled slots), is back-propagated. For a loss that is a mean over labelled slots, as the masked
 * MSE is, the accumulated gradient then equals the gradient of the loss over all labelled slots of
 * the step, as if the step were one batch. The step then clips the gradients to
 * {@code maxGradNorm}, applies AdamW with the scheduled learning rate and zeroes the gradients.
 * When the data does not fill the last step of an epoch, that step is smaller. This is the step of
 * {@link org.rlhf4j.algorithms.reward.RewardTrainer}, with labelled slots in place of pairs.
 *
 * <p>Memory: every step runs in a sub-manager of the model's manager, and every micro batch in a
 * sub-manager of that; both are closed when they end, together with the gradient arrays the step
 * fetched. The AdamW moments live in a manager that {@link #close()} releases. Training is
 * deterministic for a fixed {@code seed} on the same engine, device and thread count.
 *
 * <p>Resuming: the learning-rate schedule and the batch order are functions of the optimizer step,
 * so a trainer whose optimizer state was restored with {@link AdamW#loadState} (and whose model has
 * the saved weights) continues where the saved run stopped.
 *
 * <p>Logging: one INFO line every {@code logEvery} steps with step, loss, learning rate, gradient
 * norm and examples per second, and a progress bar on standard error when a console is attached.
 * Instances are not thread-safe.
 */
public final class RegressionTrainer implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(RegressionTrainer.class);

    private final RewardModel model;
    private final RegressionLoss loss;
    private final RegressionTrainerConfig config;
    private final Map<String, NDArray> parameters;
    private final AdamW optimizer;
    private final List<RegressionListener> listeners = new CopyOnWriteArrayList<>();
    private boolean closed;

    /**
     * Creates a trainer, marks every parameter of the model as requiring gradients and zeroes
     * gradients left over from earlier use.
     *
     * @param model the model to train; it stays owned by the caller
     * @param loss the regression loss
     * @param config the settings of the run
     * @throws IllegalArgumentException when the model has no parameters
     */
    public RegressionTrainer(RewardModel model, RegressionLoss loss, RegressionTrainerConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.config = Objects.requireNonNull(config, "config");
        this.parameters = new LinkedHashMap<>(model.parameters());
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("The reward model has no trainable parameters");
        }
        for (NDArray parameter : parameters.values()) {
            parameter.setRequiresGradient(true);
        }
        this.optimizer = config.optimizerBuilder().build(parameters);
        try (NDManager scope = model.manager().newSubManager()) {
            ParameterGradients.zero(ParameterGradients.fetch(parameters, scope));
        }
    }

    /**
     * Registers a listener for the events of later {@link #train} calls.
     *
     * @param listener the listener
     */
    public void addListener(RegressionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Returns the optimizer, whose state and step count make a checkpoint of the run. */
    public AdamW optimizer() {
        return optimizer;
    }

    /** Returns the number of optimizer steps taken so far, restored ones included. */
    public long completedSteps() {
        return optimizer.stepCount();
    }

    /**
     * Computes the number of optimizer steps of a run over {@code exampleCount} examples.
     *
     * @param exampleCount the number of encoded examples, at least 1
     * @return {@code maxSteps}, or {@code epochs} times the steps per epoch
     */
    public long plannedSteps(int exampleCount) {
        if (exampleCount < 1) {
            throw new IllegalArgumentException("exampleCount must be >= 1, got " + exampleCount);
        }
        return config.maxSteps() > 0 ? config.maxSteps() : config.epochs() * stepsPerEpoch(exampleCount);
    }

    /**
     * Trains from the step after {@link #completedSteps()} to the end of the run.
     *
     * @param examples the encoded training examples, at least one, each with one label per head
     *     output
     * @return per-step losses of this call
     * @throws IllegalArgumentException when there are no examples or their slot count differs from
     *     the model's head outputs
     * @throws IllegalStateException when the run is already complete, the trainer is closed, or a
     *     gradient norm is NaN or infinite (training diverged)
     */
    public RegressionResult train(List<EncodedRated> examples) {
        if (closed) {
            throw new IllegalStateException("The trainer is closed");
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("No examples to train on");
        }
        requireHeadWidth(examples);
        long totalSteps = plannedSteps(examples.size());
        long firstStep = optimizer.stepCount() + 1;
        if (firstStep > totalSteps) {
            throw new IllegalStateException("The run is complete: " + optimizer.stepCount() + " of " + totalSteps
                    + " steps are done");
        }
        logger.info("Training regression head {} on {} examples: steps {} to {}, {} examples per step in micro "
                + "batches of {}", model.head(), examples.size(), firstStep, totalSteps, config.globalBatchSize(),
                config.microBatchSize());
        listeners.forEach(listener -> listener.onTrainingStart(firstStep, totalSteps));
        RegressionResult result = runSteps(examples, firstStep, totalSteps);
        listeners.forEach(listener -> listener.onTrainingEnd(result));
        logger.info("Regression training finished after step {}: loss {} -> {} in {} s", result.lastStep(),
                format(result.firstLoss()), format(result.lastLoss()), format(result.seconds()));
        return result;
    }

    private void requireHeadWidth(List<EncodedRated> examples) {
        int outputs = model.head().outputs();
        for (EncodedRated example : examples) {
            if (example.slots() != outputs) {
                throw new IllegalArgumentException("Example " + example.id() + " has " + example.slots()
                        + " label slots but the model's " + model.head() + " has " + outputs
                        + " outputs; encode with the targets the head was built from");
            }
        }
    }

    private RegressionResult runSteps(List<EncodedRated> examples, long firstStep, long totalSteps) {
        long start = System.nanoTime();
        StepPlan<EncodedRated> plan = new StepPlan<>(new LengthBucketBatcher<>(examples, EncodedRated::length,
                config.microBatchSize(), config.bucketBatches(), config.seed()), config.accumulationSteps());
        LearningRateSchedule schedule = config.learningRateSchedule(totalSteps);
        List<Double> losses = new ArrayList<>();
        long examplesSeen = 0;

        try (ProgressBar bar = ProgressBar.forConsole(totalSteps, "regression")) {
            for (long step = firstStep; step <= totalSteps; step++) {
                int epoch = plan.epoch(step);
                RegressionStepMetrics metrics =
                        runStep(step, totalSteps, epoch, plan.microBatches(step), schedule);
                losses.add(metrics.loss());
                examplesSeen += metrics.examples();
                report(metrics, bar);
                if (plan.endsEpoch(step)) {
                    long finishedStep = step;
                    listeners.forEach(listener -> listener.onEpochEnd(epoch, finishedStep));
                }
            }
        }

        double seconds = (System.nanoTime() - start) / 1e9;
        return new RegressionResult(firstStep, totalSteps, losses, losses.get(0), losses.get(losses.size() - 1),
                examplesSeen, seconds);
    }

    private RegressionStepMetrics runStep(long step, long totalSteps, int epoch,
            List<List<EncodedRated>> microBatches, LearningRateSchedule schedule) {
        long start = System.nanoTime();
        int stepExamples = microBatches.stream().mapToInt(List::size).sum();
        int stepLabelled = microBatches.stream().flatMap(List::stream).mapToInt(EncodedRated::labelledCount).sum();
        double stepLoss = 0;
        double learningRate = schedule.learningRate(step);
        double gradNorm;
        try (NDManager stepManager = model.manager().newSubManager()) {
            try (GradientCollector collector = stepManager.getEngine().newGradientCollector()) {
                for (List<EncodedRated> microBatch : microBatches) {
                    stepLoss += forwardBackward(collector, stepManager, microBatch, stepLabelled);
                }
            }
            Map<String, NDArray> gradients = ParameterGradients.fetch(parameters, stepManager);
            gradNorm = config.maxGradNorm() > 0
                    ? GradientClipping.clipByGlobalNorm(gradients, config.maxGradNorm())
                    : GradientClipping.globalNorm(gradients.values());
            if (!Double.isFinite(gradNorm)) {
                ParameterGradients.zero(gradients);
                throw new IllegalStateException("Gradient norm is " + gradNorm + " at step " + step + " (loss "
                        + stepLoss + "); training diverged, so lower the learning rate or check the labels");
            }
            optimizer.step(gradients, learningRate);
            ParameterGradients.zero(gradients);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new RegressionStepMetrics(step, totalSteps, epoch, stepLoss, learningRate, gradNorm, stepExamples,
                stepLabelled, stepExamples / seconds, seconds);
    }

    /** Runs one micro batch forward and backward and returns its weighted loss. */
    private double forwardBackward(GradientCollector collector, NDManager stepManager,
            List<EncodedRated> microBatch, int stepLabelled) {
        try (NDManager microManager = stepManager.newSubManager()) {
            RegressionBatch batch = RegressionBatch.of(microBatch, config.paddingSide(), config.padTokenId());
            NDArray predicted = model.forward(batch.idsArray(microManager), batch.maskArray(microManager))
                    .toType(DataType.FLOAT32, false);
            Shape expected = new Shape(batch.rows(), batch.slots());
            if (!predicted.getShape().equals(expected)) {
                throw new IllegalStateException("The reward model returned shape " + predicted.getShape() + " for "
                        + batch.rows() + " sequences; expected " + expected);
            }
            NDArray microLoss =
                    loss.compute(predicted, batch.labelsArray(microManager), batch.labelMaskArray(microManager));
            double weight = (double) batch.labelledCount() / stepLabelled;
            // The weight is an array of the micro-batch manager: DJL frees a plain number's memory before backward reads it.
            collector.backward(microLoss.mul(microManager.create((float) weight)));
            return microLoss.getFloat() * weight;
        }
    }

    private void report(RegressionStepMetrics metrics, ProgressBar bar) {
        boolean last = metrics.step() == metrics.totalSteps();
        if (metrics.step() % config.logEvery() == 0 || last) {
            bar.clear();
            logger.info("Step {}/{} epoch {}: loss {} lr {} grad_norm {} examples/s {}", metrics.step(),
                    metrics.totalSteps(), metrics.epoch(), format(metrics.loss()),
                    String.format(Locale.ROOT, "%.3e", metrics.learningRate()), format(metrics.gradNorm()),
                    String.format(Locale.ROOT, "%.1f", metrics.examplesPerSecond()));
        }
        bar.update(metrics.step(), "loss " + format(metrics.loss()));
        listeners.forEach(listener -> listener.onStep(metrics));
    }

    private long stepsPerEpoch(int exampleCount) {
        int microBatches = LengthBucketBatcher.batchesPerEpoch(exampleCount, config.microBatchSize());
        return StepPlan.stepsPerEpoch(microBatches, config.accumulationSteps());
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** Releases the optimizer state. The model stays open and keeps its trained weights. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            optimizer.close();
        }
    }
}
