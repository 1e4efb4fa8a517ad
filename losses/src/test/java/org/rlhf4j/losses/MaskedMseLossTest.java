package org.rlhf4j.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MaskedMseLossTest {

    private static final Shape SHAPE = new Shape(2, 3);
    private static final float[] PREDICTED = {1f, 2f, 3f, 4f, 5f, 6f};
    // -100 marks an unlabelled slot, as in NeMo-Aligner's regression data
    private static final float[] LABELS = {1.5f, -100f, 2f, 4f, 7f, -100f};
    private static final float[] MASK = {1f, 0f, 1f, 1f, 1f, 0f};

    private final MaskedMseLoss loss = new MaskedMseLoss();
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void averagesOverLabelledSlots() {
        // labelled differences -0.5, 1, 0, -2 -> squares 0.25 + 1 + 0 + 4 = 5.25 over 4 slots = 1.3125
        NDArray value = loss.compute(array(PREDICTED), array(LABELS), array(MASK));

        assertThat(value.getFloat()).isCloseTo(1.3125f, within(1e-6f));
    }

    @Test
    void returnsFloat32Scalar() {
        NDArray value = loss.compute(array(PREDICTED), array(LABELS), array(MASK));

        assertThat(value.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(value.getShape().isScalar()).isTrue();
    }

    @Test
    void noLabelledSlotGivesZero() {
        NDArray value = loss.compute(array(PREDICTED), array(LABELS), array(new float[6]));

        assertThat(value.getFloat()).isEqualTo(0f);
    }

    @Test
    void nanInUnlabelledSlotIsIgnored() {
        float[] labels = LABELS.clone();
        labels[1] = Float.NaN;
        labels[5] = Float.POSITIVE_INFINITY;

        NDArray value = loss.compute(array(PREDICTED), array(labels), array(MASK));

        assertThat(value.getFloat()).isCloseTo(1.3125f, within(1e-6f));
    }

    @Test
    void nanInUnlabelledSlotKeepsGradientFinite() {
        float[] labels = LABELS.clone();
        labels[1] = Float.NaN;

        float[] gradient = GradientCheck.autogradGradient(manager, PREDICTED,
                predicted -> loss.compute(predicted.reshape(SHAPE), onManager(predicted, labels),
                        onManager(predicted, MASK)));

        // 2 * (predicted - label) / 4 on labelled slots, 0 elsewhere
        assertThat(gradient).containsExactly(new float[] {-0.25f, 0f, 0.5f, 0f, -1f, 0f}, within(1e-6f));
    }

    @Test
    void booleanMaskIsAccepted() {
        NDArray mask = array(MASK).toType(DataType.BOOLEAN, false);

        NDArray value = loss.compute(array(PREDICTED), array(LABELS), mask);

        assertThat(value.getFloat()).isCloseTo(1.3125f, within(1e-6f));
    }

    @Test
    void float16InputGivesFloat32Answer() {
        NDArray predicted = array(PREDICTED).toType(DataType.FLOAT16, false);
        NDArray labels = array(LABELS).toType(DataType.FLOAT16, false);

        NDArray value = loss.compute(predicted, labels, array(MASK));

        assertThat(value.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(value.getFloat()).isCloseTo(1.3125f, within(1e-6f));
    }

    @Test
    void gradientMatchesFiniteDifference() {
        float[] point = {1.1f, 2f, 2.9f, 4.3f, 5f, 6f};
        GradientCheck.assertMatchesFiniteDifference(manager, point,
                predicted -> loss.compute(predicted.reshape(SHAPE), onManager(predicted, LABELS),
                        onManager(predicted, MASK)));
    }

    @Test
    void shapeMismatchIsRejected() {
        NDArray predicted = array(PREDICTED);
        NDArray labels = manager.create(LABELS, new Shape(3, 2));
        NDArray mask = array(MASK);

        assertThatThrownBy(() -> loss.compute(predicted, labels, mask))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(2, 3)")
                .hasMessageContaining("(3, 2)");
    }

    private NDArray array(float[] values) {
        return manager.create(values, SHAPE);
    }

    private static NDArray onManager(NDArray owner, float[] values) {
        return owner.getManager().create(values, SHAPE);
    }
}
