package org.rlhf4j.algorithms.policy.online;

import org.rlhf4j.algorithms.policy.GraphScalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;
import org.rlhf4j.models.generate.ResponseBatch;
import org.rlhf4j.models.llama.LlamaModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a policy and its critic with proximal policy optimization (PPO), as NeMo-Aligner does.
 *
 * <p>Each step takes {@code promptsPerStep} prompts and:
 * <ol>
 *   <li>samples {@code samplesPerPrompt} responses to each with the current policy, scores them,
 *       and records the log-probabilities of the sampled tokens under the policy and the frozen
 *       reference and the critic's values;
 *   <li>builds per-token rewards: the score on the last response token ({@link TokenRewards})
 *       and, with the KL penalty in the reward, {@code -beta * kl} on every response token;
 *   <li>computes GAE advantages and returns ({@link Gae}) and, when enabled, whitens the
 *       advantages over the step's response tokens ({@link Whitening});
 *   <li>runs {@code epochs} passes over the rollout batch in shuffled mini-batches. Each
 *       mini-batch minimizes the clipped surrogate (minus the entropy bonus, plus
 *       {@code beta * mean(kl)} when the penalty is in the loss) and the clipped value loss, and
 *       updates policy and critic with their own AdamW after clipping each gradient norm.
 * </ol>
 *
 * <p>Losses are averaged over all response tokens of a mini-batch, truncated responses included.
 * The critic reads the same token layout as the policy: the value of response token {@code t}
 * comes from the position before it. Each step runs in a sub-manager of the policy's manager, and
 * each mini-batch in a sub-manager of that. The run stops with a {@link TrainingDivergedException}
 * naming the step when a reward, the KL, a loss or a gradient norm becomes NaN or infinite; an
 * update found diverged is not applied. One INFO line per step logs the reward (total and per
 * source), the KL, the losses and the learning rate. Instances are not thread-safe.
 */
public final class PpoTrainer implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(PpoTrainer.class);

    private final PpoConfig config;
    private final OnlineSession session;
    private final ValueModel critic;
    private final ParameterUpdate policyUpdate;
    private final ParameterUpdate criticUpdate;
    private final LearningRateSchedule policySchedule;
    private final LearningRateSchedule criticSchedule;
    private final List<Consumer<PpoStepMetrics>> listeners = new CopyOnWriteArrayList<>();
    private long completedSteps;
    private long completedUpdates;
    private boolean closed;

    /**
     * Creates a trainer whose reference is a copy of the policy made now.
     *
     * @param policy the policy to train; it stays owned by the caller
     * @param critic the critic to train, for example {@link ValueModel#fromRewardModel}; it stays
     *     owned by the caller and must be on the policy's device
     * @param reward the reward sources
     * @param config the settings of the run
     */
    public PpoTrainer(LlamaModel policy, ValueModel critic, CombinedReward reward, PpoConfig config) {
        this(policy, null, critic, reward, config);
    }

    /**
     * Creates a trainer.
     *
     * @param policy the policy to train; it stays owned by the caller
     * @param reference the frozen reference with the policy's architecture, owned by the caller,
     *     or {@code null} to copy the policy now (the trainer then closes the copy). Its
     *     parameters stop recording gradients
     * @param critic the critic to train; it stays owned by the caller
     * @param reward the reward sources
     * @param config the settings of the run
     */
    public PpoTrainer(LlamaModel policy, LlamaModel reference, ValueModel critic, CombinedReward reward,
            PpoConfig config) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reward, "reward");
        this.critic = Objects.requireNonNull(critic, "critic");
        this.config = Objects.requireNonNull(config, "config");
        if (!critic.manager().getDevice().equals(policy.manager().getDevice())) {
            throw new IllegalArgumentException("the critic is on " + critic.manager().getDevice()
                    + " but the policy is on " + policy.manager().getDevice());
        }
        this.session = new OnlineSession(policy, reference, reward, config.klPenalty(), config.sampling(),
                config.forwardBatchSize(), config.seed());
        ParameterUpdate actor = null;
        try (NDManager scope = policy.manager().newSubManager()) {
            AdamW.Builder optimizer = config.optimizerBuilder();
            actor = new ParameterUpdate("policy", policy.parameters(), optimizer, config.maxGradNorm(), scope);
            this.criticUpdate = new ParameterUpdate("critic", critic.parameters(), config.optimizerBuilder(),
                    config.maxGradNorm(), scope);
        } catch (RuntimeException e) {
            if (actor != null) {
                actor.close();
            }
            session.close();
            throw e;
        }
        this.policyUpdate = actor;
        this.policySchedule = config.policySchedule();
        this.criticSchedule = config.criticSchedule();
    }

    /**
     * Registers a listener called after every step.
     *
     * @param listener the listener
     */
    public void addListener(Consumer<PpoStepMetrics> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Returns the frozen reference. */
    public LlamaModel reference() {
        return session.reference();
    }

    /** Returns the critic. */
    public ValueModel critic() {
        return critic;
    }

    /** Returns the policy's optimizer. */
    public AdamW policyOptimizer() {
        return policyUpdate.optimizer();
    }

    /** Returns the critic's optimizer. */
    public AdamW criticOptimizer() {
        return criticUpdate.optimizer();
    }

    /** Returns the number of steps completed so far. */
    public long completedSteps() {
        return completedSteps;
    }

    /**
     * Runs the steps after {@link #completedSteps()} up to {@link PpoConfig#steps()}.
     *
     * @param prompts the training prompts as token ids, BOS included if the model expects one.
     *     Each must leave room for a response in the policy's context
     * @return the metrics of the steps of this call
     * @throws TrainingDivergedException when a reward, the KL, a loss or a gradient norm becomes
     *     NaN or infinite
     * @throws IllegalStateException when the run is complete or the trainer is closed
     */
    public List<PpoStepMetrics> train(List<int[]> prompts) {
        requireOpen();
        session.checkPrompts(prompts);
        if (completedSteps >= config.steps()) {
            throw new IllegalStateException("the run is complete: " + completedSteps + " of " + config.steps()
                    + " steps are done");
        }
        logger.info("PPO on {} prompts: steps {} to {}, {}", prompts.size(), completedSteps + 1, config.steps(),
                config);
        PromptPlan plan = new PromptPlan(prompts, config.promptsPerStep(), config.seed());
        List<PpoStepMetrics> history = new ArrayList<>();
        while (completedSteps < config.steps()) {
            long step = completedSteps + 1;
            PpoStepMetrics metrics = runStep(step, plan.prompts(step));
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

    private PpoStepMetrics runStep(long step, List<int[]> prompts) {
        long start = System.nanoTime();
        try (NDManager scope = session.policy().manager().newSubManager()) {
            Rollout rollout = session.collect(prompts, config.samplesPerPrompt(), step);
            OnlineSession.RolloutKl kl = session.klOf(rollout, scope, step);
            Experience experience = experience(rollout, kl, scope);

            UpdateTotals totals = new UpdateTotals();
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                for (int[] miniBatch : miniBatches(step, epoch, rollout.size())) {
                    totals.add(runUpdate(experience, miniBatch, step, scope));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return totals.metrics(step, config.steps(), rollout.stats(kl.measured()), seconds);
        }
    }

    /**
     * Builds the per-token rewards of a rollout (score on the last token, KL change on every
     * token), runs GAE over the critic's values and whitens the advantages when enabled.
     */
    private Experience experience(Rollout rollout, OnlineSession.RolloutKl kl, NDManager scope) {
        int[] rows = rollout.allRows();
        ResponseBatch batch = rollout.batch(rows);
        NDArray mask = kl.mask();
        float[][] oldValues = criticValues(rollout);
        NDArray tokenRewards = TokenRewards.placeScores(rollout.totalRewardArray(scope, rows), mask)
                .add(session.penalty().tokenRewardChange(kl.perToken(), mask));
        NDArray values = Rollout.tokenArray(scope, oldValues, rows, batch.responseColumns());
        Gae.Result gae = Gae.compute(tokenRewards, values, mask, config.gamma(), config.lambda());
        NDArray advantages = config.whitenAdvantages() ? Whitening.whiten(gae.advantages(), mask) : gae.advantages();
        return new Experience(rollout, oldValues, Rollout.splitRows(advantages, batch.responseLengths()),
                Rollout.splitRows(gae.returns(), batch.responseLengths()));
    }

    /** Computes the critic's value of every response token, without gradients. */
    private float[][] criticValues(Rollout rollout) {
        float[][] values = new float[rollout.size()][];
        for (int from = 0; from < rollout.size(); from += config.forwardBatchSize()) {
            int to = Math.min(rollout.size(), from + config.forwardBatchSize());
            int[] rows = new int[to - from];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = from + i;
            }
            ResponseBatch batch = rollout.batch(rows);
            try (NDManager scope = critic.manager().newSubManager()) {
                NDArray padded = batch.alignToResponse(critic.values(batch.idsArray(scope), batch.maskArray(scope)));
                float[][] part = Rollout.splitRows(padded, batch.responseLengths());
                System.arraycopy(part, 0, values, from, part.length);
            }
        }
        return values;
    }

    /** Returns the mini-batches of one epoch: the rows in an order shuffled with a seed of step and epoch. */
    private List<int[]> miniBatches(long step, int epoch, int rows) {
        List<Integer> order = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(OnlineSession.mix(config.seed(), step) + epoch));
        int size = config.effectiveMiniBatchSize();
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < rows; from += size) {
            batches.add(order.subList(from, Math.min(rows, from + size)).stream().mapToInt(Integer::intValue)
                    .toArray());
        }
        return batches;
    }

    private UpdateResult runUpdate(Experience experience, int[] rows, long step, NDManager scope) {
        completedUpdates++;
        double learningRate = policySchedule.learningRate(completedUpdates);
        double criticLearningRate = criticSchedule.learningRate(completedUpdates);
        KlPenalty penalty = session.penalty();
        try (NDManager mini = scope.newSubManager()) {
            Rollout rollout = experience.rollout();
            ResponseBatch batch = rollout.batch(rows);
            int width = batch.responseColumns();
            NDArray mask = batch.responseMaskArray(mini);
            NDArray ids = batch.idsArray(mini);
            NDArray attention = batch.maskArray(mini);
            NDArray oldLogProbs = Rollout.tokenArray(mini, rollout.oldLogProbs(), rows, width);
            NDArray advantages = Rollout.tokenArray(mini, experience.advantages(), rows, width);

            double policyLoss;
            double valueLoss;
            double policyClip;
            double valueClip;
            double entropy;
            try (GradientCollector collector = mini.getEngine().newGradientCollector()) {
                NDArray logits = batch.alignToResponse(session.policy().logits(ids, attention));
                NDArray logProbs = logits.logSoftmax(-1)
                        .gather(batch.responseIdsArray(mini).expandDims(-1), -1).squeeze(-1);
                PpoLosses.ClippedLoss surrogate = PpoLosses.policyLoss(logProbs, oldLogProbs, advantages, mask,
                        config.ratioClip());
                NDArray entropyMean = Masked.mean(PpoLosses.entropyPerToken(config.entropyCoefficient() > 0
                        ? logits : logits.stopGradient()), mask);
                NDArray actorLoss = surrogate.loss().sub(
                        entropyMean.mul(GraphScalars.like(entropyMean, (float) config.entropyCoefficient())));
                NDArray reference = Rollout.tokenArray(mini, rollout.referenceLogProbs(), rows, width);
                actorLoss = penalty.addToLoss(actorLoss, penalty.perToken(logProbs, reference), mask);

                NDArray values = batch.alignToResponse(critic.values(ids, attention));
                PpoLosses.ClippedLoss critique = PpoLosses.valueLoss(values,
                        Rollout.tokenArray(mini, experience.oldValues(), rows, width),
                        Rollout.tokenArray(mini, experience.returns(), rows, width), mask, config.valueClip());

                policyLoss = actorLoss.toType(DataType.FLOAT64, false).getDouble();
                valueLoss = critique.loss().toType(DataType.FLOAT64, false).getDouble();
                if (!Double.isFinite(policyLoss) || !Double.isFinite(valueLoss)) {
                    throw new TrainingDivergedException(Double.isFinite(policyLoss) ? "value loss" : "policy loss",
                            Double.isFinite(policyLoss) ? valueLoss : policyLoss, step,
                            OnlineSession.LOWER_LEARNING_RATE);
                }
                collector.backward(actorLoss.add(critique.loss()));
                policyClip = surrogate.clipFraction();
                valueClip = critique.clipFraction();
                entropy = entropyMean.toType(DataType.FLOAT64, false).getDouble();
            }
            double gradNorm;
            try {
                gradNorm = policyUpdate.apply(mini, learningRate, step);
            } catch (TrainingDivergedException e) {
                criticUpdate.discard(mini);
                throw e;
            }
            double criticGradNorm = criticUpdate.apply(mini, criticLearningRate, step);
            return new UpdateResult(policyLoss, valueLoss, policyClip, valueClip, entropy, learningRate,
                    criticLearningRate, gradNorm, criticGradNorm);
        }
    }

    private void report(PpoStepMetrics metrics) {
        RolloutStats rollout = metrics.rollout();
        logger.info("Step {}/{}: reward {} [{}] kl {} ({} per token) policy_loss {} value_loss {} clip {} lr {}"
                        + " ended {} length {} ({} s)", metrics.step(), metrics.totalSteps(),
                OnlineSession.format(rollout.rewardMean()), OnlineSession.formatSources(rollout.sourceMeans()),
                OnlineSession.format(rollout.kl().perSequence()), OnlineSession.format(rollout.kl().perToken()),
                OnlineSession.format(metrics.policyLoss()), OnlineSession.format(metrics.valueLoss()),
                OnlineSession.format(metrics.policyClipFraction()), OnlineSession.formatRate(metrics.learningRate()),
                OnlineSession.format(rollout.endedFraction()), OnlineSession.format(rollout.meanResponseLength()),
                OnlineSession.format(metrics.seconds()));
        listeners.forEach(listener -> listener.accept(metrics));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the trainer is closed");
        }
    }

    /** Releases both optimizers' state and the reference copy, if the trainer made it; the models stay open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            policyUpdate.close();
            criticUpdate.close();
            session.close();
        }
    }

    /** A rollout with the critic's values and the GAE results, per sample and response token. */
    private record Experience(Rollout rollout, float[][] oldValues, float[][] advantages, float[][] returns) {}

    private record UpdateResult(double policyLoss, double valueLoss, double policyClip, double valueClip,
            double entropy, double learningRate, double criticLearningRate, double gradNorm, double criticGradNorm) {}

    /** Averages update results over a step. */
    private static final class UpdateTotals {

        private final List<UpdateResult> results = new ArrayList<>();

        void add(UpdateResult result) {
            results.add(result);
        }

        PpoStepMetrics metrics(long step, long totalSteps, RolloutStats stats, double seconds) {
            UpdateResult last = results.get(results.size() - 1);
            return new PpoStepMetrics(step, totalSteps, stats, mean(UpdateResult::policyLoss),
                    mean(UpdateResult::valueLoss), mean(UpdateResult::policyClip), mean(UpdateResult::valueClip),
                    mean(UpdateResult::entropy), last.learningRate(), last.criticLearningRate(),
                    mean(UpdateResult::gradNorm), mean(UpdateResult::criticGradNorm), seconds);
        }

        private double mean(ToDoubleFunction<UpdateResult> field) {
            return results.stream().mapToDouble(field).average().orElse(Double.NaN);
        }
    }
}
