package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;
import org.rlhf4j.algorithms.policy.GraphScalars;

/** Numerically stable element-wise functions for the preference losses. */
final class StableMath {

    private StableMath() {
    }

    /**
     * Computes {@code softplus(x) = log(1 + exp(x))} as {@code max(x, 0) + log(1 + exp(-|x|))},
     * which stays finite for every finite {@code x}: {@code softplus(100)} is 100 and
     * {@code softplus(-100)} underflows to 0 in float32 instead of giving a NaN gradient.
     */
    static NDArray softplus(NDArray x) {
        return x.maximum(GraphScalars.like(x, 0f)).add(x.abs().neg().exp().add(1f).log());
    }

    /** Computes {@code -log sigmoid(x)} as {@code softplus(-x)}. */
    static NDArray negLogSigmoid(NDArray x) {
        return softplus(x.neg());
    }
}
