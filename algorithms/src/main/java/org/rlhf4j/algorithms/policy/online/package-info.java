/**
 * Online policy optimizers: REINFORCE with a leave-one-out baseline ({@link
 * org.rlhf4j.algorithms.policy.online.ReinforceTrainer}) and PPO ({@link
 * org.rlhf4j.algorithms.policy.online.PpoTrainer}), which sample responses from the policy, score
 * them with weighted {@link org.rlhf4j.algorithms.policy.online.RewardSource}s and regularise
 * towards a frozen reference with one {@link org.rlhf4j.algorithms.policy.online.KlPenalty}.
 *
 * <p>Per-token arrays cover the response tokens only, shape [B, T] with the responses padded on
 * the right, together with a mask that is 1 at sampled tokens (the EOS included) and 0 at padding.
 */
package org.rlhf4j.algorithms.policy.online;
