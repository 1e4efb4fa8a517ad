/**
 * Reward-model training on preference pairs: encoding pairs into token ids, length-bucketed
 * batching, and a trainer with gradient accumulation, clipping, AdamW and a learning-rate
 * schedule.
 */
package org.rlhf4j.algorithms.reward;
