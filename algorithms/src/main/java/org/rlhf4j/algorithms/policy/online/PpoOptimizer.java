package org.rlhf4j.algorithms.policy.online;

import org.rlhf4j.api.policy.PolicyOptimizer;

/**
 * The {@value #NAME} policy-optimizer plugin: proximal policy optimization with a clipped
 * surrogate, GAE and a critic initialised from the reward model, trained by {@link PpoTrainer}.
 */
public final class PpoOptimizer implements PolicyOptimizer {

    /** The plugin name. */
    public static final String NAME = "ppo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "PPO with a clipped surrogate, GAE advantages and a value-clipped critic initialised from the reward"
                + " model.";
    }

    @Override
    public Mode mode() {
        return Mode.ONLINE_ROLLOUTS;
    }

    @Override
    public boolean needsCritic() {
        return true;
    }
}
