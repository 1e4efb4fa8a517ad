package com.example.rlhf4j.plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;

/**
 * Hinge loss on the reward margin: {@code mean(max(0, 1 - (chosen - rejected)))}. Pairs whose
 * chosen reward leads by at least 1 cost nothing; the loss ignores preference magnitudes.
 */
public final class HingeLoss implements RewardLoss {

    /** Creates the loss; the plugin registry calls this constructor. */
    public HingeLoss() {}

    @Override
    public String name() {
        return "hinge";
    }

    @Override
    public String description() {
        return "Hinge loss on the reward margin: mean(max(0, 1 - (chosen - rejected))).";
    }

    @Override
    public NDArray compute(PairwiseRewards rewards) {
        NDArray chosen = rewards.chosen().toType(DataType.FLOAT32, false);
        NDArray rejected = rewards.rejected().toType(DataType.FLOAT32, false);
        return chosen.sub(rejected).neg().add(1f).maximum(0f).mean();
    }
}
