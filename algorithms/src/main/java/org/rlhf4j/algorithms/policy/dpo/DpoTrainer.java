package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.GradientClipping;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.policy.GraphScalars;
import org.rlhf4j.algorithms.policy.ParameterGradients;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;
import org.rlhf4j.api.policy.PreferenceLogProbs;
import org.rlhf4j.api.policy.PreferenceOptimizer;
import org.rlhf4j.models.llama.LlamaModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy {@link LlamaModel} on preference pairs with a loss of the DPO family, against a
 * frozen reference model (typically {@code policy.copy(null)} taken before training).
 *
 * <p>Each optimizer step takes {@code globalBatchPairs} pairs as micro batches of
 * {@code microBatchPairs}. For each micro batch the policy and the reference run once over the
 * chosen and rejected sequences; the optimizer's loss (plus {@code sftWeight} times the chosen
 * responses' mean negative log-likelihood per token), scaled by the micro batch's share of the
 * step's pairs, is back-propagated. The step then clips the gradients, applies AdamW with the
 * scheduled learning rate and zeroes the gradients. The pairs are shuffled again for every epoch
 * with a generator seeded by the config's seed and the epoch, so a run is reproducible.
 *
 * <p>A loss or gradient norm that is NaN or infinite stops the run with a
 * {@link TrainingDivergedException} before the update of that step. Every step runs in a
 * sub-manager of the policy's manager that is closed when the step ends. One INFO line is logged
 * every {@code logEvery} steps. Instances are not thread-safe.
 */
public final class DpoTrainer implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DpoTrainer.class);
    private static final String DIVERGED_HINT = "Lower the learning rate or beta, or check the data.";

    private final LlamaModel policy;
    private final LlamaModel reference;
    private final PreferenceOptimizer optimizer;
    private final DpoTrainerConfig config;
    private final boolean averageLogProbs;
    private final Map<String, NDArray> parameters;
    private final AdamW adamW;
    private final List<Consumer<DpoStepMetrics>> listeners = new CopyOnWriteArrayList<>();
    private boolean closed;

    /**
     * Creates a trainer. Marks every policy parameter as requiring gradients and every reference
     * parameter as not requiring them, and zeroes gradients left from earlier use.
     *
     * @param policy the model to train; it stays owned by the caller
     * @param reference the frozen reference, on the same device and with the same vocabulary; it
     *     stays owned by the caller
     * @param optimizer the loss, for example {@link DpoOptimizer}
     * @param config the settings of the run
     * @throws IllegalArgumentException when policy and reference are the same object or their
     *     vocabularies differ
     */
    public DpoTrainer(LlamaModel policy, LlamaModel reference, PreferenceOptimizer optimizer,
            DpoTrainerConfig config) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.reference = Objects.requireNonNull(reference, "reference");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.config = Objects.requireNonNull(config, "config");
        if (policy == reference) {
            throw new IllegalArgumentException("The reference must be a separate frozen copy of the policy, for"
                    + " example policy.copy(null), not the policy itself");
        }
        if (policy.config().vocabSize() != reference.config().vocabSize()) {
            throw new IllegalArgumentException("The policy has " + policy.config().vocabSize()
                    + " tokens but the reference has " + reference.config().vocabSize());
        }
        this.averageLogProbs = config.averageLogProbsFor(optimizer);
        this.parameters = policy.parameters();
        reference.setRequiresGradient(false);
        policy.setRequiresGradient(true);
        this.adamW = config.optimizerBuilder().build(parameters);
        try (NDManager scope = policy.manager().newSubManager()) {
            ParameterGradients.zero(ParameterGradients.fetch(parameters, scope));
        }
    }

    /**
     * Registers a listener that receives the metrics of every step of later {@link #train} calls.
     *
     * @param listener the listener
     */
    public void addListener(Consumer<DpoStepMetrics> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Returns the AdamW optimizer, whose state and step count make a checkpoint of the run. */
    public AdamW optimizerState() {
        return adamW;
    }

    /** Returns the number of optimizer steps taken so far, restored ones included. */
    public long completedSteps() {
        return adamW.stepCount();
    }

    /**
     * Computes the number of optimizer steps of a run over {@code exampleCount} examples.
     *
     * @param exampleCount the number of examples, at least 1
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
     * @param examples the training examples, at least one
     * @return the metrics of every step of this call
     * @throws TrainingDivergedException when the loss or the gradient norm becomes NaN or infinite
     * @throws IllegalStateException when the run is already complete or the trainer is closed
     */
    public DpoTrainingResult train(List<DpoExample> examples) {
        if (closed) {
            throw new IllegalStateException("The trainer is closed");
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("No examples to train on");
        }
        long totalSteps = plannedSteps(examples.size());
        long firstStep = adamW.stepCount() + 1;
        if (firstStep > totalSteps) {
            throw new IllegalStateException("The run is complete: " + adamW.stepCount() + " of " + totalSteps
                    + " steps are done");
        }
        logger.info("Training with {} on {} pairs: steps {} to {}, {} pairs per step, beta {}, {} log-ratios",
                optimizer.name(), examples.size(), firstStep, totalSteps, config.globalBatchPairs(), config.beta(),
                averageLogProbs ? "mean" : "summed");

        long start = System.nanoTime();
        List<DpoStepMetrics> steps = runSteps(examples, firstStep, totalSteps);
        DpoTrainingResult result = new DpoTrainingResult(steps, (System.nanoTime() - start) / 1e9);

        logger.info("Training finished after step {}: loss {} -> {}, accuracy {} -> {} in {} s", result.last().step(),
                format(result.first().loss()), format(result.last().loss()), format(result.first().accuracy()),
                format(result.last().accuracy()), format(result.seconds()));
        return result;
    }

    /**
     * Runs steps {@code firstStep} to {@code totalSteps}. Step {@code k} (1-based) is step
     * {@code (k - 1) % stepsPerEpoch} of epoch {@code (k - 1) / stepsPerEpoch + 1}, so the batches
     * do not depend on where a run started.
     */
    private List<DpoStepMetrics> runSteps(List<DpoExample> examples, long firstStep, long totalSteps) {
        LearningRateSchedule schedule = config.learningRateSchedule(totalSteps);
        long perEpoch = stepsPerEpoch(examples.size());
        List<DpoStepMetrics> steps = new ArrayList<>();
        List<DpoExample> order = List.of();
        int orderEpoch = -1;
        for (long step = firstStep; step <= totalSteps; step++) {
            int epoch = (int) ((step - 1) / perEpoch) + 1;
            if (epoch != orderEpoch) {
                order = shuffled(examples, epoch);
                orderEpoch = epoch;
            }
            int from = (int) ((step - 1) % perEpoch) * config.globalBatchPairs();
            List<DpoExample> stepExamples = order.subList(from, Math.min(from + config.globalBatchPairs(),
                    order.size()));
            DpoStepMetrics metrics = runStep(step, totalSteps, epoch, stepExamples, schedule.learningRate(step));
            steps.add(metrics);
            report(metrics);
        }
        return steps;
    }

    private List<DpoExample> shuffled(List<DpoExample> examples, int epoch) {
        List<DpoExample> order = new ArrayList<>(examples);
        Collections.shuffle(order, new Random(config.seed() * 1_000_003L + epoch));
        return order;
    }

    private DpoStepMetrics runStep(long step, long totalSteps, int epoch, List<DpoExample> examples,
            double learningRate) {
        long start = System.nanoTime();
        BatchTotals totals = new BatchTotals();
        double gradNorm;
        try (NDManager stepManager = policy.manager().newSubManager()) {
            try (GradientCollector collector = stepManager.getEngine().newGradientCollector()) {
                for (int from = 0; from < examples.size(); from += config.microBatchPairs()) {
                    List<DpoExample> micro = examples.subList(from, Math.min(from + config.microBatchPairs(),
                            examples.size()));
                    forwardBackward(collector, stepManager, micro, examples.size(), step, totals);
                }
            }
            Map<String, NDArray> gradients = ParameterGradients.fetch(parameters, stepManager);
            gradNorm = config.maxGradNorm() > 0
                    ? GradientClipping.clipByGlobalNorm(gradients, config.maxGradNorm())
                    : GradientClipping.globalNorm(gradients.values());
            if (!Double.isFinite(gradNorm)) {
                ParameterGradients.zero(gradients);
                throw new TrainingDivergedException("gradient norm", gradNorm, step, DIVERGED_HINT);
            }
            adamW.step(gradients, learningRate);
            ParameterGradients.zero(gradients);
        }
        int pairs = examples.size();
        return new DpoStepMetrics(step, totalSteps, epoch, totals.loss / pairs, totals.preferenceLoss / pairs,
                totals.sftLoss / pairs, (double) totals.correct / pairs, totals.chosenReward / pairs,
                totals.rejectedReward / pairs, learningRate, gradNorm, pairs, (System.nanoTime() - start) / 1e9);
    }

    private void forwardBackward(GradientCollector collector, NDManager stepManager, List<DpoExample> micro,
            int stepPairs, long step, BatchTotals totals) {
        try (NDManager microManager = stepManager.newSubManager()) {
            PreferenceLogProbs logProbs = DpoBatch.logProbs(policy, reference, micro, config.paddingSide(),
                    config.padTokenId(), microManager);
            NDArray preferenceLoss = optimizer.loss(logProbs, config.beta(), averageLogProbs);
            NDArray sftLoss = LogRatios.sequenceLogProbs(logProbs.policyChosen(), logProbs.chosenMask(), true)
                    .neg().mean();
            NDArray loss = config.sftWeight() > 0
                    ? preferenceLoss.add(sftLoss.mul(GraphScalars.like(sftLoss, (float) config.sftWeight())))
                    : preferenceLoss;
            double lossValue = loss.getFloat();
            TrainingDivergedException.requireFinite(optimizer.name() + " loss", lossValue, step, DIVERGED_HINT);
            double share = (double) micro.size() / stepPairs;
            collector.backward(loss.mul(GraphScalars.like(loss, (float) share)));
            totals.add(micro.size(), lossValue, preferenceLoss.getFloat(), sftLoss.getFloat(),
                    rewards(logProbs, microManager));
        }
    }

    /** Returns beta times the log-ratios, chosen rows first, as plain numbers. */
    private float[][] rewards(PreferenceLogProbs logProbs, NDManager manager) {
        LogRatios ratios = LogRatios.of(logProbs, averageLogProbs);
        NDArray beta = GraphScalars.like(ratios.chosen(), (float) config.beta());
        return new float[][] {ratios.chosen().mul(beta).toFloatArray(), ratios.rejected().mul(beta).toFloatArray()};
    }

    /**
     * Computes the implicit rewards of the current policy on pairs, with no gradient, in micro
     * batches of {@code microBatchPairs}.
     *
     * @param examples the pairs to evaluate, at least one
     * @return accuracy, ties, mean rewards and mean loss
     */
    public PreferenceEvaluation evaluate(List<DpoExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("No examples to evaluate");
        }
        BatchTotals totals = new BatchTotals();
        for (int from = 0; from < examples.size(); from += config.microBatchPairs()) {
            List<DpoExample> micro = examples.subList(from, Math.min(from + config.microBatchPairs(),
                    examples.size()));
            try (NDManager scope = policy.manager().newSubManager()) {
                PreferenceLogProbs logProbs = DpoBatch.logProbs(policy, reference, micro, config.paddingSide(),
                        config.padTokenId(), scope);
                float loss = optimizer.loss(logProbs, config.beta(), averageLogProbs).getFloat();
                totals.add(micro.size(), loss, loss, 0, rewards(logProbs, scope));
            }
        }
        int pairs = examples.size();
        return new PreferenceEvaluation(pairs, (double) totals.correct / pairs, totals.ties,
                totals.chosenReward / pairs, totals.rejectedReward / pairs, totals.loss / pairs);
    }

    private void report(DpoStepMetrics metrics) {
        if (metrics.step() % config.logEvery() == 0 || metrics.step() == metrics.totalSteps()) {
            logger.info("Step {}/{} epoch {}: loss {} (preference {}, sft {}) accuracy {} chosen_reward {}"
                    + " rejected_reward {} margin {} lr {} grad_norm {}", metrics.step(), metrics.totalSteps(),
                    metrics.epoch(), format(metrics.loss()), format(metrics.preferenceLoss()),
                    format(metrics.sftLoss()), format(metrics.accuracy()), format(metrics.chosenReward()),
                    format(metrics.rejectedReward()), format(metrics.rewardMargin()),
                    String.format(Locale.ROOT, "%.3e", metrics.learningRate()), format(metrics.gradNorm()));
        }
        listeners.forEach(listener -> listener.accept(metrics));
    }

    private long stepsPerEpoch(int exampleCount) {
        return (exampleCount + config.globalBatchPairs() - 1) / config.globalBatchPairs();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** Releases the optimizer state. The models stay open, and the policy keeps its trained weights. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            adamW.close();
        }
    }

    /** Sums of per-pair quantities over the micro batches of a step or an evaluation. */
    private static final class BatchTotals {
        double loss;
        double preferenceLoss;
        double sftLoss;
        double chosenReward;
        double rejectedReward;
        int correct;
        int ties;

        /** Adds a micro batch whose mean losses are given, with the per-pair rewards. */
        void add(int pairs, double meanLoss, double meanPreferenceLoss, double meanSftLoss, float[][] rewards) {
            loss += meanLoss * pairs;
            preferenceLoss += meanPreferenceLoss * pairs;
            sftLoss += meanSftLoss * pairs;
            for (int i = 0; i < pairs; i++) {
                chosenReward += rewards[0][i];
                rejectedReward += rewards[1][i];
                if (rewards[0][i] > rewards[1][i]) {
                    correct++;
                } else if (rewards[0][i] == rewards[1][i]) {
                    ties++;
                }
            }
        }
    }
}
