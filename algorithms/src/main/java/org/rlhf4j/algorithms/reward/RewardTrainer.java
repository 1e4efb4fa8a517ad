package org.rlhf4j.algorithms.reward;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rlhf4j.algorithms.checkpoint.CheckpointManifest;
import org.rlhf4j.algorithms.checkpoint.CorruptCheckpointException;
import org.rlhf4j.algorithms.checkpoint.DataFingerprint;
import org.rlhf4j.algorithms.checkpoint.DataPosition;
import org.rlhf4j.algorithms.checkpoint.RngState;
import org.rlhf4j.algorithms.checkpoint.TrainingCheckpoint;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.GradientClipping;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.parallel.DataParallel;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.models.reward.RewardModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link RewardModel} on encoded preference pairs with a pairwise {@link RewardLoss}.
 *
 * <p>Each optimizer step takes {@code globalBatchPairs} pairs as {@code globalBatchPairs /
 * microBatchPairs} micro batches. For each micro batch the chosen and rejected sequences go through
 * one forward pass, and the micro batch's mean loss, scaled by {@code microPairs / stepPairs}, is
 * back-propagated, so the accumulated gradient equals the gradient of the mean loss over the whole
 * step. The step then clips the gradients to {@code maxGradNorm}, applies AdamW with the scheduled
 * learning rate and zeroes the gradients. When the data does not fill the last step of an epoch,
 * that step is smaller and its micro losses are scaled by its own pair count.
 *
 * <p>Devices: with {@link RewardTrainerConfig#devices()} the trainer keeps one replica of the model
 * per device in a {@link DataParallel} group, the model itself being replica 0. Each micro batch is
 * split across the replicas by pair count, each shard's loss is weighted by {@code shardPairs /
 * stepPairs}, the gradients are summed on the model's device, and one clipped AdamW step there is
 * copied back to every replica. The result equals single-device training up to float rounding.
 *
 * <p>Memory: every step runs in a sub-manager of the model's manager, and every micro batch in a
 * sub-manager of that; both are closed when they end, together with the gradient arrays the step
 * fetched. The AdamW moments live in a manager that {@link #close()} releases. Training is
 * deterministic for a fixed {@code seed} on the same engine, device and thread count.
 *
 * <p>Checkpoints and resuming: the learning-rate schedule and the batch order are functions of the
 * optimizer step, so a trainer whose optimizer state was restored with {@link AdamW#loadState} (and
 * whose model has the saved weights) continues where the saved run stopped. {@link #checkpointEvery}
 * makes {@link #train} write a {@link TrainingCheckpoint} every N steps, and {@link #resumeFrom}
 * restores one into a new trainer; the continued run is then bit for bit the same as a run that was
 * never stopped, on the same engine, device and thread count.
 *
 * <p>Logging: one INFO line every {@code logEvery} steps with step, loss, strict accuracy, learning
 * rate, gradient norm and pairs per second, and a progress bar on standard error when a console is
 * attached. Instances are not thread-safe.
 */
public final class RewardTrainer implements AutoCloseable {

    /** Number of checkpoints {@link #checkpointEvery(long, Path)} keeps: 3. */
    public static final int DEFAULT_KEEP_CHECKPOINTS = 3;

    private static final Logger logger = LoggerFactory.getLogger(RewardTrainer.class);

    private final RewardModel model;
    private final RewardLoss loss;
    private final RewardTrainerConfig config;
    private final Map<String, NDArray> parameters;
    private final DataParallel replicas;
    private final AdamW optimizer;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private long checkpointInterval;
    private Path checkpointRoot;
    private int keepCheckpoints = DEFAULT_KEEP_CHECKPOINTS;
    private TrainingCheckpoint resumedFrom;
    private boolean closed;

    /**
     * Creates a trainer, copies the model onto the config's other devices, marks every parameter
     * of every replica as requiring gradients and zeroes gradients left over from earlier use.
     *
     * @param model the model to train, on the first of the config's devices; it stays owned by
     *     the caller, while {@link #close()} closes the copies
     * @param loss the pairwise loss
     * @param config the settings of the run
     * @throws IllegalArgumentException when the model has no parameters, a device is not
     *     available, or the first device is not the model's
     * @throws UnsupportedOperationException when several devices are set and the model cannot be
     *     copied
     */
    public RewardTrainer(RewardModel model, RewardLoss loss, RewardTrainerConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.config = Objects.requireNonNull(config, "config");
        this.parameters = new LinkedHashMap<>(model.parameters());
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("The reward model has no trainable parameters");
        }
        List<Device> devices = config.devices().isEmpty() ? List.of(model.manager().getDevice()) : config.devices();
        this.replicas = DataParallel.of(model, devices);
        try {
            replicas.setRequiresGradient(true);
            this.optimizer = config.optimizerBuilder().build(parameters);
            replicas.zeroGradients();
        } catch (RuntimeException e) {
            replicas.close();
            throw e;
        }
    }

    /**
     * Registers a listener for the events of later {@link #train} calls.
     *
     * @param listener the listener
     */
    public void addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Returns the optimizer, whose state and step count make a checkpoint of the run. */
    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * Returns the replica group: one replica per device, the trained model first. Replicas after
     * the first hold copies of its weights after every optimizer step.
     */
    public DataParallel replicas() {
        return replicas;
    }

    /** Returns the number of optimizer steps taken so far, restored ones included. */
    public long completedSteps() {
        return optimizer.stepCount();
    }

    /**
     * Makes {@link #train} write a checkpoint to {@code directory/step-NNNNNN} after every
     * {@code steps}-th optimizer step and after the last step of each call, keeping the newest
     * {@value #DEFAULT_KEEP_CHECKPOINTS}.
     *
     * @param steps the interval in optimizer steps, at least 1
     * @param directory the checkpoint root
     * @return this trainer
     * @throws IllegalArgumentException when {@code steps} is below 1
     */
    public RewardTrainer checkpointEvery(long steps, Path directory) {
        return checkpointEvery(steps, directory, DEFAULT_KEEP_CHECKPOINTS);
    }

    /**
     * Makes {@link #train} write a checkpoint to {@code directory/step-NNNNNN} after every
     * {@code steps}-th optimizer step and after the last step of each call. Each write deletes all
     * but the newest {@code keepLast} checkpoints of the directory.
     *
     * @param steps the interval in optimizer steps, at least 1
     * @param directory the checkpoint root
     * @param keepLast how many checkpoints to keep, at least 1
     * @return this trainer
     * @throws IllegalArgumentException when {@code steps} or {@code keepLast} is below 1
     */
    public RewardTrainer checkpointEvery(long steps, Path directory, int keepLast) {
        if (steps < 1) {
            throw new IllegalArgumentException("Checkpoint interval must be >= 1 step, got " + steps);
        }
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        this.checkpointRoot = Objects.requireNonNull(directory, "directory");
        this.checkpointInterval = steps;
        this.keepCheckpoints = keepLast;
        return this;
    }

    /**
     * Restores a checkpoint into this new trainer: the model weights, the AdamW moments and step
     * count, and with them the schedule position and the data position. The next {@link #train}
     * call continues at the step after the checkpoint and first checks that its pairs have the
     * checkpoint's data fingerprint.
     *
     * @param directory a checkpoint directory, or a checkpoint root whose latest checkpoint is used
     * @return the restored checkpoint
     * @throws CorruptCheckpointException when a checkpoint file is missing, truncated or fails its
     *     checksum, naming the file
     * @throws IllegalArgumentException when the checkpoint's schedule or trainer settings differ from
     *     this trainer's (naming the key), or its tensors do not fit the model
     * @throws IllegalStateException when this trainer has already taken a step or is closed
     * @throws IOException when reading fails
     */
    public TrainingCheckpoint resumeFrom(Path directory) throws IOException {
        requireOpen();
        if (optimizer.stepCount() != 0) {
            throw new IllegalStateException("Resume needs a new trainer, but this one is already at step "
                    + optimizer.stepCount());
        }
        TrainingCheckpoint checkpoint = TrainingCheckpoint.open(TrainingCheckpoint.resolve(directory));
        CheckpointManifest manifest = checkpoint.manifest();
        int pairCount = manifest.data().pairs();
        checkpoint.requireResumableWith(config, config.learningRateSchedule(plannedSteps(pairCount)));
        DataPosition expected = dataPosition(manifest.step(), pairCount);
        if (!expected.equals(manifest.position())) {
            throw new CorruptCheckpointException(checkpoint.directory().resolve(TrainingCheckpoint.MANIFEST_FILE),
                    "records data position " + manifest.position() + ", but step " + manifest.step() + " of this run"
                            + " is at " + expected);
        }
        checkpoint.restore(parameters, optimizer);
        replicas.broadcastParameters();
        resumedFrom = checkpoint;
        logger.info("Resumed from {}: step {} done, next epoch {} batch {}, learning rate {}", checkpoint.directory(),
                manifest.step(), manifest.position().epoch() + 1, manifest.position().batch(),
                String.format(Locale.ROOT, "%.3e", manifest.learningRate()));
        return checkpoint;
    }

    /**
     * Computes the number of optimizer steps of a run over {@code pairCount} pairs.
     *
     * @param pairCount the number of encoded pairs, at least 1
     * @return {@code maxSteps}, or {@code epochs} times the steps per epoch
     */
    public long plannedSteps(int pairCount) {
        if (pairCount < 1) {
            throw new IllegalArgumentException("pairCount must be >= 1, got " + pairCount);
        }
        return config.maxSteps() > 0 ? config.maxSteps() : config.epochs() * stepsPerEpoch(pairCount);
    }

    /**
     * Trains from the step after {@link #completedSteps()} to the end of the run.
     *
     * @param pairs the encoded training pairs, at least one
     * @return per-step losses and accuracies of this call
     * @throws IllegalStateException when the run is already complete, the trainer is closed, or a
     *     gradient norm is NaN or infinite (training diverged)
     * @throws IllegalArgumentException when the trainer was resumed from a checkpoint of other pairs
     * @throws UncheckedIOException when writing a checkpoint fails
     */
    public TrainingResult train(List<EncodedPair> pairs) {
        requireOpen();
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("No pairs to train on");
        }
        return train(pairs, plannedSteps(pairs.size()));
    }

    /**
     * Trains from the step after {@link #completedSteps()} up to and including {@code lastStep}, so
     * a run can be split over several calls. The schedule and the data order stay those of the
     * whole run.
     *
     * @param pairs the encoded training pairs, at least one
     * @param lastStep the last optimizer step of this call, at most {@link #plannedSteps}
     * @return per-step losses and accuracies of this call
     * @throws IllegalStateException when the run is already complete or past {@code lastStep}, the
     *     trainer is closed, or a gradient norm is NaN or infinite (training diverged)
     * @throws IllegalArgumentException when {@code lastStep} is beyond the run, or the trainer was
     *     resumed from a checkpoint of other pairs
     * @throws UncheckedIOException when writing a checkpoint fails
     */
    public TrainingResult train(List<EncodedPair> pairs, long lastStep) {
        requireOpen();
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("No pairs to train on");
        }

        long totalSteps = plannedSteps(pairs.size());
        long firstStep = optimizer.stepCount() + 1;
        if (firstStep > totalSteps) {
            throw new IllegalStateException("The run is complete: " + optimizer.stepCount() + " of " + totalSteps
                    + " steps are done");
        }
        if (lastStep > totalSteps) {
            throw new IllegalArgumentException("lastStep " + lastStep + " is beyond the run of " + totalSteps
                    + " steps");
        }
        if (lastStep < firstStep) {
            throw new IllegalStateException("Step " + lastStep + " is already done: " + optimizer.stepCount()
                    + " of " + totalSteps + " steps are done");
        }

        DataFingerprint fingerprint = resumedFrom != null || checkpointInterval > 0 ? DataFingerprint.of(pairs) : null;
        if (resumedFrom != null) {
            resumedFrom.requireSameData(fingerprint);
        }

        logger.info("Training on {} pairs: steps {} to {} of {}, {} pairs per step in micro batches of {}",
                pairs.size(), firstStep, lastStep, totalSteps, config.globalBatchPairs(), config.microBatchPairs());
        listeners.forEach(listener -> listener.onTrainingStart(firstStep, totalSteps));
        TrainingResult result = runSteps(pairs, new StepRange(firstStep, lastStep, totalSteps), fingerprint);
        listeners.forEach(listener -> listener.onTrainingEnd(result));
        logger.info("Training finished after step {}: loss {} -> {} in {} s", result.lastStep(),
                format(result.firstLoss()), format(result.lastLoss()), format(result.seconds()));
        return result;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The trainer is closed");
        }
    }

    private TrainingResult runSteps(List<EncodedPair> pairs, StepRange range, DataFingerprint fingerprint) {
        long start = System.nanoTime();
        StepPlan plan = new StepPlan(
                new PairBatcher(pairs, config.microBatchPairs(), config.bucketBatches(), config.seed()),
                config.accumulationSteps(), stepsPerEpoch(pairs.size()));
        LearningRateSchedule schedule = config.learningRateSchedule(range.total());
        List<Double> losses = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        long pairsSeen = 0;

        try (ProgressBar bar = ProgressBar.forConsole(range.total(), "train")) {
            for (long step = range.first(); step <= range.last(); step++) {
                int epoch = plan.epoch(step);
                StepMetrics metrics = runStep(step, range.total(), epoch, plan.microBatches(step), schedule);
                losses.add(metrics.loss());
                accuracies.add(metrics.accuracy());
                pairsSeen += metrics.pairs();
                report(metrics, bar);
                if (plan.endsEpoch(step)) {
                    long finishedStep = step;
                    listeners.forEach(listener -> listener.onEpochEnd(epoch, finishedStep));
                }
                if (checkpointInterval > 0 && (step % checkpointInterval == 0 || step == range.last())) {
                    writeCheckpoint(step, schedule, fingerprint);
                }
            }
        }

        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(range.first(), range.last(), losses, accuracies, losses.get(0),
                losses.get(losses.size() - 1), pairsSeen, seconds);
    }

    private void writeCheckpoint(long step, LearningRateSchedule schedule, DataFingerprint data) {
        DataPosition position = dataPosition(step, data.pairs());
        CheckpointManifest manifest = new CheckpointManifest(step, config, schedule,
                RngState.batchOrder(config.seed(), position.epoch()), position, data);
        try {
            TrainingCheckpoint written =
                    TrainingCheckpoint.write(checkpointRoot, manifest, parameters, optimizer.state(), keepCheckpoints);
            logger.info("Saved checkpoint of step {} to {}", step, written.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write the checkpoint of step " + step + " to "
                    + checkpointRoot + ": " + e.getMessage(), e);
        }
    }

    private DataPosition dataPosition(long step, int pairCount) {
        return DataPosition.after(step, stepsPerEpoch(pairCount),
                PairBatcher.batchesPerEpoch(pairCount, config.microBatchPairs()), config.accumulationSteps());
    }

    private StepMetrics runStep(long step, long totalSteps, int epoch, List<List<EncodedPair>> microBatches,
            LearningRateSchedule schedule) {
        long start = System.nanoTime();
        int stepPairs = microBatches.stream().mapToInt(List::size).sum();
        double stepLoss = 0;
        int correct = 0;
        double learningRate = schedule.learningRate(step);
        double gradNorm;
        try (NDManager stepManager = model.manager().newSubManager()) {
            try (GradientCollector collector = stepManager.getEngine().newGradientCollector()) {
                for (List<EncodedPair> microBatch : microBatches) {
                    List<List<EncodedPair>> shards = replicas.scatter(microBatch);
                    for (int replica = 0; replica < shards.size(); replica++) {
                        if (shards.get(replica).isEmpty()) {
                            continue;
                        }
                        MicroResult micro = forwardBackward(collector, replicas.replicas().get(replica),
                                shards.get(replica), stepPairs);
                        stepLoss += micro.weightedLoss();
                        correct += micro.correct();
                    }
                }
            }
            Map<String, NDArray> gradients = replicas.sumGradients(stepManager);
            gradNorm = config.maxGradNorm() > 0
                    ? GradientClipping.clipByGlobalNorm(gradients, config.maxGradNorm())
                    : GradientClipping.globalNorm(gradients.values());
            if (!Double.isFinite(gradNorm)) {
                replicas.zeroGradients();
                throw new IllegalStateException("Gradient norm is " + gradNorm + " at step " + step + " (loss "
                        + stepLoss + "); training diverged, so lower the learning rate or check the data");
            }
            optimizer.step(gradients, learningRate);
            replicas.zeroGradients();
            replicas.broadcastParameters();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new StepMetrics(step, totalSteps, epoch, stepLoss, (double) correct / stepPairs, learningRate,
                gradNorm, stepPairs, stepPairs / seconds, seconds);
    }

    /**
     * Runs one replica's forward and backward pass over its shard of a micro batch, with the loss
     * weighted by the shard's share of the step's pairs.
     */
    private MicroResult forwardBackward(GradientCollector collector, RewardModel replica,
            List<EncodedPair> shard, int stepPairs) {
        try (NDManager microManager = replica.manager().newSubManager()) {
            PaddedBatch batch = PaddedBatch.of(shard, config.paddingSide(), config.padTokenId());
            int pairs = batch.pairs();
            NDArray rewards = replica.reward(batch.idsArray(microManager), batch.maskArray(microManager))
                    .toType(DataType.FLOAT32, false);
            if (!rewards.getShape().equals(new Shape(batch.rows()))) {
                throw new IllegalStateException("The reward model returned shape " + rewards.getShape()
                        + " for " + batch.rows() + " sequences; expected (" + batch.rows() + ")");
            }
            NDArray chosen = rewards.get("0:" + pairs);
            NDArray rejected = rewards.get(pairs + ":");
            NDArray microLoss = loss.compute(new PairwiseRewards(chosen, rejected, batch.magnitudeArray(microManager)));
            double weight = (double) pairs / stepPairs;
            // DJL's mul(Number) wraps the number in an array backed by a Java buffer and closes it at once,
            // but autograd reads that buffer again in the backward pass. A garbage collection in between
            // frees it and corrupts the gradient, so the weight stays in the micro batch's manager.
            NDArray weightArray = microManager.create((float) weight);
            collector.backward(microLoss.mul(weightArray));
            return new MicroResult(microLoss.getFloat() * weight, countCorrect(rewards.toFloatArray(), pairs));
        }
    }

    private static int countCorrect(float[] rewards, int pairs) {
        int correct = 0;
        for (int i = 0; i < pairs; i++) {
            if (rewards[i] > rewards[pairs + i]) {
                correct++;
            }
        }
        return correct;
    }

    private void report(StepMetrics metrics, ProgressBar bar) {
        boolean last = metrics.step() == metrics.totalSteps();
        if (metrics.step() % config.logEvery() == 0 || last) {
            bar.clear();
            logger.info("Step {}/{} epoch {}: loss {} accuracy {} lr {} grad_norm {} pairs/s {}", metrics.step(),
                    metrics.totalSteps(), metrics.epoch(), format(metrics.loss()), format(metrics.accuracy()),
                    String.format(Locale.ROOT, "%.3e", metrics.learningRate()), format(metrics.gradNorm()),
                    String.format(Locale.ROOT, "%.1f", metrics.pairsPerSecond()));
        }
        bar.update(metrics.step(), "loss " + format(metrics.loss()));
        listeners.forEach(listener -> listener.onStep(metrics));
    }

    private long stepsPerEpoch(int pairCount) {
        long microBatches = PairBatcher.batchesPerEpoch(pairCount, config.microBatchPairs());
        return (microBatches + config.accumulationSteps() - 1) / config.accumulationSteps();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /**
     * Releases the optimizer state and closes the model's copies on other devices. The model
     * stays open and keeps its trained weights.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            optimizer.close();
            replicas.close();
        }
    }

    private record MicroResult(double weightedLoss, int correct) {}

    /** The steps of one {@link #train} call: {@code first} to {@code last} of a run of {@code total}. */
    private record StepRange(long first, long last, long total) {}

    /**
     * Maps an optimizer step to its epoch and micro batches. Step {@code k} (1-based) is step
     * {@code (k - 1) % stepsPerEpoch} of epoch {@code (k - 1) / stepsPerEpoch}, so the mapping does
     * not depend on where a run started.
     */
    private static final class StepPlan {

        private final PairBatcher batcher;
        private final int accumulation;
        private final long stepsPerEpoch;
        private int cachedEpoch = -1;
        private List<List<EncodedPair>> epochBatches = List.of();

        StepPlan(PairBatcher batcher, int accumulation, long stepsPerEpoch) {
            this.batcher = batcher;
            this.accumulation = accumulation;
            this.stepsPerEpoch = stepsPerEpoch;
        }

        /** Returns the 1-based epoch of a step. */
        int epoch(long step) {
            return (int) ((step - 1) / stepsPerEpoch) + 1;
        }

        boolean endsEpoch(long step) {
            return step % stepsPerEpoch == 0;
        }

        List<List<EncodedPair>> microBatches(long step) {
            int epochIndex = epoch(step) - 1;
            if (epochIndex != cachedEpoch) {
                epochBatches = batcher.batches(epochIndex);
                cachedEpoch = epochIndex;
            }
            int index = (int) ((step - 1) % stepsPerEpoch);
            int from = index * accumulation;
            return epochBatches.subList(from, Math.min(from + accumulation, epochBatches.size()));
        }
    }
}
