package org.rlhf4j.algorithms.checkpoint;

import java.util.List;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.toy.ToyData;
import org.rlhf4j.algorithms.toy.ToyRewardModel;

/**
 * The run that the kill-and-resume test performs in a child JVM and in the test JVM. The toy reward
 * model trains on 40 toy pairs with 16 pairs per step in micro batches of 4. An epoch then has 10
 * micro batches and 3 steps (the last one of 8 pairs), and 2 epochs make 6 steps. The learning rate
 * warms up for 2 steps and then follows a cosine decay.
 */
final class KilledRun {

    static final int PAIRS = 40;
    static final long STEPS_PER_EPOCH = 3;
    static final long TOTAL_STEPS = 6;

    private KilledRun() {}

    static ToyRewardModel model() {
        return ToyData.model(31);
    }

    static List<EncodedPair> pairs() {
        return ToyData.encoded(PAIRS, 32);
    }

    static RewardTrainerConfig config() {
        return RewardTrainerConfig.builder()
                .learningRate(0.05)
                .warmupSteps(2)
                .schedule(LearningRateSchedule.Kind.COSINE)
                .minLearningRate(0.005)
                .weightDecay(0.01)
                .globalBatchPairs(16)
                .microBatchPairs(4)
                .epochs(2)
                .seed(33)
                .logEvery(100)
                .build();
    }
}
