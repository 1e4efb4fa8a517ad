package org.rlhf4j.algorithms.toy;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;

/**
 * Bradley-Terry loss for the tests, {@code mean(softplus(rejected - chosen))}. The tests do not use
 * the losses module's implementation because the patched test module cannot read that module at
 * run time under surefire.
 */
public final class SoftplusBtLoss implements RewardLoss {

    @Override
    public String name() {
        return "test-bt";
    }

    @Override
    public NDArray compute(PairwiseRewards rewards) {
        return Activation.softPlus(rewards.rejected().sub(rewards.chosen())).mean();
    }
}
