package org.rlhf4j.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

/**
 * Compares the autograd gradient of a scalar function of one float32 array with a central finite
 * difference.
 *
 * <p>The step is 1e-2: the truncation error of the central difference is about
 * {@code step^2 / 6 * |f'''|}, under 1e-5 for these losses, while the float32 rounding error of the
 * loss (about 1e-7) divided by the step stays near 1e-5 as well. The tolerance is
 * {@code 1e-3 * |gradient| + 1e-5}.
 */
final class GradientCheck {

    private static final float STEP = 1e-2f;
    private static final double RELATIVE_TOLERANCE = 1e-3;
    private static final double ABSOLUTE_TOLERANCE = 1e-5;

    private GradientCheck() {}

    /**
     * Asserts that the autograd gradient of {@code function} at {@code point} matches the central
     * difference in every coordinate.
     *
     * @param manager manager that owns the arrays of every evaluation
     * @param point where to take the gradient
     * @param function builds the scalar loss from an array holding {@code point}
     * @return the autograd gradient, for further checks
     */
    static float[] assertMatchesFiniteDifference(
            NDManager manager, float[] point, Function<NDArray, NDArray> function) {
        float[] analytic = autogradGradient(manager, point, function);
        for (int i = 0; i < point.length; i++) {
            double numeric = centralDifference(manager, point, i, function);
            double tolerance = RELATIVE_TOLERANCE * Math.abs(numeric) + ABSOLUTE_TOLERANCE;
            assertThat((double) analytic[i])
                    .as("gradient coordinate %d: autograd %s, finite difference %s", i, analytic[i], numeric)
                    .isCloseTo(numeric, within(tolerance));
        }
        return analytic;
    }

    /** Computes the gradient of {@code function} at {@code point} with DJL autograd. */
    static float[] autogradGradient(NDManager manager, float[] point, Function<NDArray, NDArray> function) {
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray input = step.create(point);
            input.setRequiresGradient(true);
            NDArray loss = function.apply(input);
            collector.backward(loss);
            return input.getGradient().toFloatArray();
        }
    }

    private static double centralDifference(
            NDManager manager, float[] point, int index, Function<NDArray, NDArray> function) {
        float[] up = point.clone();
        float[] down = point.clone();
        up[index] += STEP;
        down[index] -= STEP;
        double actualStep = (double) up[index] - down[index];
        return (evaluate(manager, up, function) - evaluate(manager, down, function)) / actualStep;
    }

    private static double evaluate(NDManager manager, float[] point, Function<NDArray, NDArray> function) {
        try (NDManager step = manager.newSubManager()) {
            return function.apply(step.create(point)).getFloat();
        }
    }
}
