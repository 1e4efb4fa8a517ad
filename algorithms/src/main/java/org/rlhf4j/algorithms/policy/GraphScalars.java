package org.rlhf4j.algorithms.policy;

import ai.djl.ndarray.NDArray;

/**
 * Creates scalar arrays for arithmetic inside an autograd graph.
 *
 * <p>With DJL 0.36's PyTorch engine, {@code x.mul(0.5f)}, {@code div}, {@code pow},
 * {@code maximum} and {@code minimum} with a number argument wrap the number in a temporary
 * tensor that shares the memory of a direct buffer, and close it when the call returns. When
 * {@code x} requires gradients, autograd keeps that tensor for the backward pass, but the buffer is
 * freed at the next garbage collection, so a backward pass after a collection reads freed memory
 * and the gradients become garbage (seen as 1e30 in place of 0.5, and as infinite gradient norms
 * in training). {@code add} and {@code sub} with a number do not keep it and are safe.
 *
 * <p>{@link #like} creates the number as an array of the same manager as the activations, which
 * keeps it alive until that manager closes, after the backward pass.
 */
public final class GraphScalars {

    private GraphScalars() {
    }

    /**
     * Creates a float32 scalar in the manager and on the device of {@code array}.
     *
     * @param array an array of the graph, typically the other operand
     * @param value the number
     * @return a 0-dimensional array that lives until the manager of {@code array} closes
     */
    public static NDArray like(NDArray array, float value) {
        return array.getManager().create(value);
    }
}
