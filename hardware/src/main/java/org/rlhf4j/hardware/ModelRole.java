package org.rlhf4j.hardware;

/** The models an RLHF run may keep in memory, with whether each is trained by default. */
public enum ModelRole {
    /** The policy being trained, with a language-model head. */
    POLICY(true, false),
    /** The frozen copy of the initial policy, used for the KL penalty. */
    REFERENCE(false, false),
    /** The reward model with a linear reward head, frozen while the policy trains. */
    REWARD(false, true),
    /** The value model of actor-critic methods such as PPO, trained with a linear value head. */
    CRITIC(true, true);

    private final boolean trainableByDefault;
    private final boolean linearHead;

    ModelRole(boolean trainableByDefault, boolean linearHead) {
        this.trainableByDefault = trainableByDefault;
        this.linearHead = linearHead;
    }

    /** Tells whether this role is trained during policy optimization. */
    public boolean trainableByDefault() {
        return trainableByDefault;
    }

    /** Tells whether the model ends in a small linear head instead of the language-model output projection. */
    public boolean hasLinearHead() {
        return linearHead;
    }
}
