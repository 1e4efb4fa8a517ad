package org.rlhf4j.api.loss;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.api.Plugin;

/**
 * A loss for reward models that regress per-attribute ratings (SteerLM-style regression).
 */
public interface RegressionLoss extends Plugin {

    /**
     * Computes the loss over the labelled attribute slots of a batch.
     *
     * @param predicted head outputs, shape {@code [batch, attributes]}
     * @param labels target ratings, same shape; values in unlabelled slots are ignored
     * @param mask 1 where a slot is labelled and 0 elsewhere, same shape
     * @return a float32 scalar; 0 when no slot is labelled
     */
    NDArray compute(NDArray predicted, NDArray labels, NDArray mask);
}
