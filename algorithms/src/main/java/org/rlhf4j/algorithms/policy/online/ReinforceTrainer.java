package org.rlhf4j.algorithms.policy.online;

import org.rlhf4j.algorithms.policy.GraphScalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;
import org.rlhf4j.models.generate.LogProbs;
import org.rlhf4j.models.generate.ResponseBatch;
import org.rlhf4j.models.llama.LlamaModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy with REINFORCE and a leave-one-out baseline (RLOO), as NeMo-Aligner does.
 *
 * <p>Each step takes {@code promptsPerStep} prompts and:
 * <ol>
 *   <li>samples {@code samplesPerPrompt} responses to each with the current policy;
 *   <li>scores them with the combined reward and records the log-probabilities of the sampled
 *       tokens under the policy and the frozen reference;
 *   <li>with the KL penalty in the reward, shapes each reward to
 *       {@code score - beta * mean over response tokens of kl};
 *   <li>computes the RLOO advantages ({@link RlooAdvantages}) within each prompt's group;
 *   <li>minimizes {@code -log pi(token) * advantage} averaged over all response tokens of the
 *       step, plus {@code beta * mean(kl)} of the current policy when the penalty is in the loss,
 *       with one AdamW update after clipping the gradient norm.
 * </ol>
 *
 * <p>Every advantage of a step is 0 when no prompt has two samples that ended with EOS and differ
 * in reward. With the KL in the reward the step then makes no update at all, because an AdamW step
 * with a zero gradient still moves the weights along its momentum. The step's log line and
 * {@link ReinforceStepMetrics#updated()} report it. NeMo-Aligner instead runs that optimizer step
 * with a zero loss.
 *
 * <p>Each step runs in a sub-manager of the policy's manager, and each micro-batch in a
 * sub-manager of that; both are closed when they end. The run stops with a
 * {@link TrainingDivergedException} naming the step when a reward, the KL, the loss or the
 * gradient norm becomes NaN or infinite; the policy then keeps its weights from before that step.
 * One INFO line per step logs the reward (total and per source), the KL, the loss and the
 * learning rate. Instances are not thread-safe.
 */
public final class ReinforceTrainer implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(ReinforceTrainer.class);

    private final ReinforceConfig config;
    private final OnlineSession session;
    private final ParameterUpdate update;
    private final LearningRateSchedule schedule;
    private final List<Consumer<ReinforceStepMetrics>> listeners = new CopyOnWriteArrayList<>();
    private long completedSteps;
    private boolean closed;

    /**
     * Creates a trainer whose reference is a copy of the policy made now.
     *
     * @param policy the policy to train; it stays owned by the caller
     * @param reward the reward sources
     * @param config the settings of the run
     */
    public ReinforceTrainer(LlamaModel policy, CombinedReward reward, ReinforceConfig config) {
        this(policy, null, reward, config);
    }

    /**
     * Creates a trainer.
     *
     * @param policy the policy to train; it stays owned by the caller
     * @param reference the frozen reference with the policy's architecture, owned by the caller,
     *     or {@code null} to copy the policy now (the trainer then closes the copy). Its
     *     parameters stop recording gradients
     * @param reward the reward sources
     * @param config the settings of the run
     */
    public ReinforceTrainer(LlamaModel policy, LlamaModel reference, CombinedReward reward, ReinforceConfig config) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reward, "reward");
        this.config = Objects.requireNonNull(config, "config");
        this.session = new OnlineSession(policy, reference, reward, config.klPenalty(), config.sampling(),
                config.forwardBatchSize(), config.seed());
        try (NDManager scope = policy.manager().newSubManager()) {
            AdamW.Builder optimizer = config.optimizerBuilder();
            this.update = new ParameterUpdate("policy", policy.parameters(), optimizer, config.maxGradNorm(), scope);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        this.schedule = config.learningRateSchedule();
    }

    /**
     * Registers a listener called after every step.
     *
     * @param listener the listener
     */
    public void addListener(Consumer<ReinforceStepMetrics> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Returns the frozen reference. */
    public LlamaModel reference() {
        return session.reference();
    }

    /** Returns the optimizer, whose state and step count make a checkpoint of the run. */
    public AdamW optimizer() {
        return update.optimizer();
    }

    /** Returns the number of steps completed so far. */
    public long completedSteps() {
        return completedSteps;
    }

    /**
     * Runs the steps after {@link #completedSteps()} up to {@link ReinforceConfig#steps()}.
     *
     * @param prompts the training prompts as token ids, BOS included if the model expects one.
     *     Each must leave room for a response in the policy's context
     * @return the metrics of the steps of this call
     * @throws TrainingDivergedException when a reward, the KL, the loss or a gradient norm
     *     becomes NaN or infinite
     * @throws IllegalStateException when the run is complete or the trainer is closed
     */
    public List<ReinforceStepMetrics> train(List<int[]> prompts) {
        requireOpen();
        session.checkPrompts(prompts);
        if (completedSteps >= config.steps()) {
            throw new IllegalStateException("the run is complete: " + completedSteps + " of " + config.steps()
                    + " steps are done");
        }
        logger.info("REINFORCE on {} prompts: steps {} to {}, {}", prompts.size(), completedSteps + 1,
                config.steps(), config);
        PromptPlan plan = new PromptPlan(prompts, config.promptsPerStep(), config.seed());
        List<ReinforceStepMetrics> history = new ArrayList<>();
        while (completedSteps < config.steps()) {
            long step = completedSteps + 1;
            ReinforceStepMetrics metrics = runStep(step, plan.prompts(step));
            completedSteps = step;
            history.add(metrics);
            report(metrics);
        }
        return history;
    }

    /**
     * Samples responses with the current policy and measures their rewards and KL, without training.
     *
     * @param prompts the prompts as token ids
     * @param samplesPerPrompt responses per prompt, at least 1
     * @param seed the sampling seed; the same seed and policy give the same samples
     * @return the statistics of the samples
     */
    public RolloutStats evaluate(List<int[]> prompts, int samplesPerPrompt, long seed) {
        requireOpen();
        return session.evaluate(prompts, samplesPerPrompt, seed);
    }

    private ReinforceStepMetrics runStep(long step, List<int[]> prompts) {
        long start = System.nanoTime();
        double learningRate = schedule.learningRate(step);
        LlamaModel policy = session.policy();
        KlPenalty penalty = session.penalty();
        try (NDManager scope = policy.manager().newSubManager()) {
            Rollout rollout = session.collect(prompts, config.samplesPerPrompt(), step);
            OnlineSession.RolloutKl kl = session.klOf(rollout, scope, step);
            float[] advantages = advantages(rollout, kl, scope);
            boolean updated = hasSignal(advantages, penalty);
            double loss = 0;
            double gradNorm = 0;
            if (updated) {
                double tokens = kl.mask().sum().getFloat();
                loss = accumulateGradients(rollout, advantages, tokens, scope);
                if (!Double.isFinite(loss)) {
                    update.discard(scope);
                    throw new TrainingDivergedException("loss", loss, step, OnlineSession.LOWER_LEARNING_RATE);
                }
                gradNorm = update.apply(scope, learningRate, step);
            }

            double seconds = (System.nanoTime() - start) / 1e9;
            return new ReinforceStepMetrics(step, config.steps(), rollout.stats(kl.measured()), updated, loss, meanAbsolute(advantages),
                    learningRate, gradNorm, seconds);
        }
    }

    /** Shapes the rewards with the KL penalty and computes the RLOO advantage of every sample. */
    private float[] advantages(Rollout rollout, OnlineSession.RolloutKl kl, NDManager scope) {
        int[] rows = rollout.allRows();
        NDArray shaped = session.penalty().shapeSequenceRewards(rollout.totalRewardArray(scope, rows),
                kl.perToken(), kl.mask());
        NDArray ended = rollout.endedArray(scope, rows);
        return RlooAdvantages.vectorized(shaped, ended, rollout.groupSizes()).toFloatArray();
    }

    private static double meanAbsolute(float[] values) {
        double sum = 0;
        for (float value : values) {
            sum += Math.abs(value);
        }
        return sum / values.length;
    }

    /**
     * Tells whether the step has a gradient to follow. With the KL in the reward and every
     * advantage 0, the gradient is exactly 0, but an AdamW step would still move the weights along
     * its momentum, so the update is skipped. NeMo-Aligner runs that step with a zero loss.
     */
    private static boolean hasSignal(float[] advantages, KlPenalty penalty) {
        if (penalty.placement() == KlPenalty.Placement.LOSS && penalty.beta() > 0) {
            return true;
        }
        for (float advantage : advantages) {
            if (advantage != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Back-propagates the loss of the whole step in micro-batches: each micro-batch contributes
     * its summed token losses divided by the step's token count.
     *
     * @return the loss of the step
     */
    private double accumulateGradients(Rollout rollout, float[] advantages, double tokens, NDManager scope) {
        KlPenalty penalty = session.penalty();
        double loss = 0;
        try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
            for (int from = 0; from < rollout.size(); from += config.microBatchSize()) {
                int to = Math.min(rollout.size(), from + config.microBatchSize());
                int[] rows = range(from, to);
                try (NDManager micro = scope.newSubManager()) {
                    ResponseBatch batch = rollout.batch(rows);
                    NDArray mask = batch.responseMaskArray(micro);
                    NDArray logProbs = LogProbs.responseLogProbs(session.policy(), batch, micro);
                    NDArray microAdvantages = micro.create(Arrays.copyOfRange(advantages, from, to));
                    NDArray sum = Masked.sum(ReinforceLoss.perToken(logProbs, microAdvantages), mask);
                    if (penalty.placement() == KlPenalty.Placement.LOSS) {
                        NDArray reference = Rollout.tokenArray(micro, rollout.referenceLogProbs(), rows,
                                batch.responseColumns());
                        sum = sum.add(penalty.lossTermSum(penalty.perToken(logProbs, reference), mask));
                    }
                    NDArray microLoss = sum.div(GraphScalars.like(sum, (float) tokens));
                    collector.backward(microLoss);
                    loss += microLoss.getFloat();
                }
            }
        }
        return loss;
    }

    private static int[] range(int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return rows;
    }

    private void report(ReinforceStepMetrics metrics) {
        RolloutStats rollout = metrics.rollout();
        logger.info("Step {}/{}: reward {} [{}] kl {} ({} per token) loss {} lr {} grad_norm {} ended {} length {}"
                        + " ({} s){}", metrics.step(), metrics.totalSteps(), OnlineSession.format(rollout.rewardMean()),
                OnlineSession.formatSources(rollout.sourceMeans()), OnlineSession.format(rollout.kl().perSequence()),
                OnlineSession.format(rollout.kl().perToken()), OnlineSession.format(metrics.loss()),
                OnlineSession.formatRate(metrics.learningRate()), OnlineSession.format(metrics.gradNorm()),
                OnlineSession.format(rollout.endedFraction()), OnlineSession.format(rollout.meanResponseLength()),
                OnlineSession.format(metrics.seconds()), metrics.updated() ? "" : "; no update, every advantage is 0");
        listeners.forEach(listener -> listener.accept(metrics));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the trainer is closed");
        }
    }

    /** Releases the optimizer state and the reference copy, if the trainer made it; the policy stays open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            update.close();
            session.close();
        }
    }
}
