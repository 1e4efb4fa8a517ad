package org.rlhf4j.api.policy;

import org.rlhf4j.api.Plugin;

/**
 * An algorithm that updates a policy from preferences or from rewards of its own samples, such as
 * DPO (offline, from preference pairs), PPO or REINFORCE with a leave-one-out baseline (online,
 * from rollouts scored by a reward model).
 */
public interface PolicyOptimizer extends Plugin {

    /** Where the training signal of a policy optimizer comes from. */
    enum Mode {
        /** Learns from a fixed set of preference pairs, without sampling. */
        OFFLINE_PREFERENCES,
        /** Samples responses from the policy and learns from their rewards. */
        ONLINE_ROLLOUTS
    }

    /**
     * Returns where this optimizer gets its training signal from.
     *
     * @return the mode of the optimizer
     */
    Mode mode();

    /**
     * Tells whether the optimizer needs a frozen reference copy of the initial policy.
     *
     * @return true when a reference model must be kept in memory
     */
    default boolean needsReferenceModel() {
        return true;
    }

    /**
     * Tells whether the optimizer trains a value model (critic) next to the policy.
     *
     * @return true for actor-critic methods such as PPO
     */
    default boolean needsCritic() {
        return false;
    }
}
