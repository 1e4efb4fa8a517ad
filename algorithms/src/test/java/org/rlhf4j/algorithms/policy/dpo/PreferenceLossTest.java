package org.rlhf4j.algorithms.policy.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.policy.PreferenceLogProbs;
import org.rlhf4j.api.policy.PreferenceOptimizer;

/**
 * Hand-worked values of the DPO-family losses. The shared case: per-token policy log-probs of a
 * prompt [-2, -2], a chosen response [-0.5, -0.5] and a rejected response [-1, -1, -1, -1], with
 * the prompt masked out and a reference whose log-probs are all 0. Summed log-ratios are then
 * -1.0 and -4.0 (delta 3.0), and means -0.5 and -1.0 (delta 0.5). With the prompt wrongly
 * counted they would be -5.0 and -8.0, or -1.25 and -1.3333.
 */
class PreferenceLossTest {

    private static final double BETA = 0.1;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray row(float... values) {
        return manager.create(values, new Shape(1, values.length));
    }

    /** Builds the shared case with one pair of magnitude {@code magnitude}. */
    private PreferenceLogProbs promptCase(float magnitude) {
        NDArray policyChosen = row(-2f, -2f, -0.5f, -0.5f, 0f, 0f);
        NDArray policyRejected = row(-2f, -2f, -1f, -1f, -1f, -1f);
        return new PreferenceLogProbs(policyChosen, policyRejected, row(0, 0, 0, 0, 0, 0), row(0, 0, 0, 0, 0, 0),
                row(0, 0, 1, 1, 0, 0), row(0, 0, 1, 1, 1, 1), manager.create(new float[] {magnitude}));
    }

    private static double loss(PreferenceOptimizer optimizer, PreferenceLogProbs logProbs, boolean average) {
        return optimizer.loss(logProbs, BETA, average).getFloat();
    }

    @Test
    void summedResponseLogProbsExcludePrompt() {
        PreferenceLogProbs logProbs = promptCase(1f);

        float[] chosen = LogRatios.sequenceLogProbs(logProbs.policyChosen(), logProbs.chosenMask(), false)
                .toFloatArray();
        float[] rejected = LogRatios.sequenceLogProbs(logProbs.policyRejected(), logProbs.rejectedMask(), false)
                .toFloatArray();

        assertThat(chosen).containsExactly(-1.0f);
        assertThat(rejected).containsExactly(-4.0f);
    }

    @Test
    void meanResponseLogProbsExcludePrompt() {
        PreferenceLogProbs logProbs = promptCase(1f);

        LogRatios ratios = LogRatios.of(logProbs, true);

        assertThat(ratios.chosen().toFloatArray()).containsExactly(-0.5f);
        assertThat(ratios.rejected().toFloatArray()).containsExactly(-1.0f);
        assertThat(ratios.difference().toFloatArray()).containsExactly(0.5f);
    }

    @Test
    void equalPolicyGivesLn2() {
        NDArray chosen = row(-1.2f, -0.3f, -2.5f);
        NDArray rejected = row(-0.7f, -3.1f);
        PreferenceLogProbs logProbs = new PreferenceLogProbs(chosen, rejected, chosen.duplicate(),
                rejected.duplicate(), row(0, 1, 1), row(1, 1), manager.create(new float[] {1f}));

        assertThat(loss(new DpoOptimizer(), logProbs, false)).isCloseTo(Math.log(2), within(1e-6));
        assertThat(loss(new DpoOptimizer(), logProbs, true)).isCloseTo(Math.log(2), within(1e-6));
    }

    @Test
    void dpoLossOfSummedDelta() {
        // -log sigmoid(0.1 * 3) = ln(1 + e^-0.3)
        assertThat(loss(new DpoOptimizer(), promptCase(1f), false)).isCloseTo(0.5543552, within(1e-6));
    }

    @Test
    void marginDpoSubtractsMagnitude() {
        // -log sigmoid(0.1 * 3 - 2) = ln(1 + e^1.7)
        assertThat(loss(new MarginDpoOptimizer(), promptCase(2f), false)).isCloseTo(1.8677860, within(1e-6));
    }

    @Test
    void scaledDpoMultipliesByMagnitude() {
        // -2 log sigmoid(0.3) = 2 ln(1 + e^-0.3)
        assertThat(loss(new ScaledDpoOptimizer(), promptCase(2f), false)).isCloseTo(1.1087105, within(1e-6));
    }

    @Test
    void ipoUsesMeanLogRatiosByDefault() {
        IpoOptimizer ipo = new IpoOptimizer();

        assertThat(ipo.averagesLogProbsByDefault()).isTrue();
        // (0.5 - 1 / (2 * 0.1))^2 = (0.5 - 5)^2
        assertThat(loss(ipo, promptCase(1f), true)).isCloseTo(20.25, within(1e-4));
        // With sums: (3 - 5)^2
        assertThat(loss(ipo, promptCase(1f), false)).isCloseTo(4.0, within(1e-5));
    }

    @Test
    void lossIsMeanOverPairs() {
        NDArray policyChosen = manager.create(new float[] {-0.5f, -0.5f, -1f, -1f}, new Shape(2, 2));
        NDArray policyRejected = manager.create(new float[] {-1f, -1f, -1f, -3f}, new Shape(2, 2));
        NDArray mask = manager.ones(new Shape(2, 2));
        // Pair 0: delta = -1 - (-2) = 1 with the mask [1, 1]; pair 1 equals its reference, so delta 0.
        NDArray referenceChosen = manager.create(new float[] {0f, 0f, -1f, -1f}, new Shape(2, 2));
        NDArray referenceRejected = manager.create(new float[] {0f, 0f, -1f, -3f}, new Shape(2, 2));
        PreferenceLogProbs logProbs = new PreferenceLogProbs(policyChosen, policyRejected, referenceChosen,
                referenceRejected, mask, mask, manager.ones(new Shape(2)));

        double expected = (Math.log1p(Math.exp(-0.1)) + Math.log(2)) / 2;
        assertThat(loss(new DpoOptimizer(), logProbs, false)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void largeLogRatiosStayFinite() {
        PreferenceLogProbs against = new PreferenceLogProbs(row(-1000f), row(0f), row(0f), row(0f), row(1f),
                row(1f), manager.create(new float[] {1f}));
        PreferenceLogProbs towards = new PreferenceLogProbs(row(0f), row(-1000f), row(0f), row(0f), row(1f),
                row(1f), manager.create(new float[] {1f}));

        assertThat(new DpoOptimizer().loss(against, 1.0, false).getFloat()).isCloseTo(1000f, within(1e-3f));
        float small = new DpoOptimizer().loss(towards, 1.0, false).getFloat();
        assertThat(small).isBetween(0f, 1e-30f);
    }

    @Test
    void promptTokensGetNoGradient() {
        PreferenceLogProbs base = promptCase(1f);
        NDArray policyChosen = row(0f, 0f, 0f, 0f, 0f, 0f);
        policyChosen.setRequiresGradient(true);
        PreferenceLogProbs logProbs = new PreferenceLogProbs(policyChosen, row(0, 0, 0, 0, 0, 0),
                row(0, 0, 0, 0, 0, 0), row(0, 0, 0, 0, 0, 0), base.chosenMask(), base.rejectedMask(),
                base.magnitude());

        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(new DpoOptimizer().loss(logProbs, BETA, false));
        }

        // d/dx of -log sigmoid(beta * delta) at delta 0 is -beta * sigmoid(0) = -0.05 per response token.
        assertThat(policyChosen.getGradient().toFloatArray())
                .containsExactly(new float[] {0f, 0f, -0.05f, -0.05f, 0f, 0f}, within(1e-7f));
    }

    @Test
    void collectionBeforeBackwardKeepsGradients() throws InterruptedException {
        // DJL frees the memory behind number arguments such as mul(0.1f) at the next garbage
        // collection, while autograd still reads it; the losses must not depend on it.
        for (AbstractPreferenceOptimizer optimizer : List.of(new DpoOptimizer(), new MarginDpoOptimizer(),
                new ScaledDpoOptimizer(), new IpoOptimizer())) {
            PreferenceLogProbs base = promptCase(1f);
            NDArray policyChosen = row(0f, 0f, 0f, 0f, 0f, 0f);
            policyChosen.setRequiresGradient(true);
            PreferenceLogProbs logProbs = new PreferenceLogProbs(policyChosen, row(0, 0, 0, 0, 0, 0),
                    row(0, 0, 0, 0, 0, 0), row(0, 0, 0, 0, 0, 0), base.chosenMask(), base.rejectedMask(),
                    base.magnitude());
            float[] expected;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(optimizer.loss(logProbs, BETA, false));
                expected = policyChosen.getGradient().toFloatArray();
                policyChosen.getGradient().muli(0f);
            }

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = optimizer.loss(logProbs, BETA, false);
                List<ByteBuffer> filler = collectAndOverwriteFreedMemory();
                collector.backward(loss);
                // Keeps the overwritten buffers alive until backward has read the scalars.
                Reference.reachabilityFence(filler);
            }

            assertThat(policyChosen.getGradient().toFloatArray()).as(optimizer.name())
                    .containsExactly(expected, within(1e-7f));
        }
    }

    /** Runs the garbage collector and fills freed native memory with 1e30, so that stale reads show. */
    private static List<ByteBuffer> collectAndOverwriteFreedMemory() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        List<ByteBuffer> filler = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            buffer.putFloat(0, 1e30f);
            filler.add(buffer);
        }
        return filler;
    }

    @Test
    void rejectsInvalidBeta() {
        assertThatThrownBy(() -> new DpoOptimizer().loss(promptCase(1f), 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta must be positive");
        assertThatThrownBy(() -> new IpoOptimizer().loss(promptCase(1f), Double.NaN, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThatThrownBy(() -> new PreferenceLogProbs(row(0f, 0f), row(0f), row(0f), row(0f), row(1f, 1f),
                row(1f), manager.create(new float[] {1f})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("referenceChosen has shape");
    }

    @Test
    void pluginsDescribeThemselves() {
        assertThat(new DpoOptimizer().name()).isEqualTo("dpo");
        assertThat(new IpoOptimizer().name()).isEqualTo("ipo");
        assertThat(new MarginDpoOptimizer().name()).isEqualTo("margin-dpo");
        assertThat(new ScaledDpoOptimizer().name()).isEqualTo("scaled-dpo");
        assertThat(new DpoOptimizer().mode()).isEqualTo(PreferenceOptimizer.Mode.OFFLINE_PREFERENCES);
        assertThat(new DpoOptimizer().needsReferenceModel()).isTrue();
        assertThat(new MarginDpoOptimizer().usesMagnitude()).isTrue();
        assertThat(new ScaledDpoOptimizer().usesMagnitude()).isTrue();
        assertThat(new DpoOptimizer().usesMagnitude()).isFalse();
        assertThat(new DpoOptimizer().averagesLogProbsByDefault()).isFalse();
    }
}
