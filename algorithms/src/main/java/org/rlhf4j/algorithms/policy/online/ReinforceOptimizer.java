package org.rlhf4j.algorithms.policy.online;

import org.rlhf4j.api.policy.PolicyOptimizer;

/**
 * The {@value #NAME} policy-optimizer plugin: REINFORCE with a leave-one-out baseline over
 * several samples per prompt, trained by {@link ReinforceTrainer}.
 */
public final class ReinforceOptimizer implements PolicyOptimizer {

    /** The plugin name. */
    public static final String NAME = "reinforce";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "REINFORCE with a leave-one-out baseline (RLOO) over 4 samples per prompt and a KL-shaped reward.";
    }

    @Override
    public Mode mode() {
        return Mode.ONLINE_ROLLOUTS;
    }

    @Override
    public boolean needsCritic() {
        return false;
    }
}
