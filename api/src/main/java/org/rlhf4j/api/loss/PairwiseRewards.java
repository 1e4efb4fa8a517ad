package org.rlhf4j.api.loss;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * Scalar rewards of a batch of preference pairs, all of shape {@code [pairs]} and float32.
 *
 * @param chosen reward of the preferred response of each pair
 * @param rejected reward of the other response of each pair
 * @param magnitude preference magnitude of each pair (1 = slightly better, 2 = better, 3 = much
 *     better in HelpSteer2-Preference); 1 for data sets without magnitudes
 */
public record PairwiseRewards(NDArray chosen, NDArray rejected, NDArray magnitude) {

    public PairwiseRewards {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(magnitude, "magnitude");
        if (!chosen.getShape().equals(rejected.getShape())
                || !chosen.getShape().equals(magnitude.getShape())
                || chosen.getShape().dimension() != 1) {
            throw new IllegalArgumentException(
                    "chosen, rejected and magnitude must be 1-D arrays of equal length, got "
                            + chosen.getShape() + ", " + rejected.getShape() + " and "
                            + magnitude.getShape());
        }
    }

    /** Returns the number of pairs in the batch. */
    public long size() {
        return chosen.getShape().get(0);
    }
}
