/**
 * Regression reward models: per-attribute rating targets, encoding of rated responses, a trainer
 * for the masked-MSE {@code regression} loss and an evaluator that reports per-attribute RMSE and
 * the pairwise accuracy of the reward slot.
 *
 * <p>A model trained here is saved like any reward model, with its multi-attribute head. Loaded
 * again, it trains with {@link org.rlhf4j.algorithms.reward.RewardTrainer} and any pairwise loss,
 * which reads the head's reward slot (helpfulness by default) as the reward, so pairwise training
 * starts from the regression model, transformer and head.
 */
package org.rlhf4j.algorithms.regression;
