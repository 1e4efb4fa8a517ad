/**
 * Built-in reward-model losses: Bradley-Terry ({@code bt}), Bradley-Terry with a margin
 * ({@code margin-bt}), magnitude-scaled Bradley-Terry ({@code scaled-bt}) and the masked MSE of
 * SteerLM-style attribute regression ({@code regression}).
 *
 * <p>All losses compute in float32 whatever the input type, and they evaluate
 * {@code -log sigmoid(x)} as {@code softplus(-x)} so that large reward gaps give finite values.
 */
package org.rlhf4j.losses;
