/**
 * Batched sampling from a Llama policy with a KV cache, and per-token log-probabilities of
 * responses under a policy or a frozen reference.
 *
 * <p>{@link org.rlhf4j.models.generate.Generator} samples responses with a
 * {@link org.rlhf4j.models.generate.SamplingConfig} and returns one
 * {@link org.rlhf4j.models.generate.GenerationResult} per prompt.
 * {@link org.rlhf4j.models.generate.LogProbs} recomputes log-probabilities of given responses in
 * one forward pass, with prompt tokens left out, laid out by
 * {@link org.rlhf4j.models.generate.ResponseBatch}.
 */
package org.rlhf4j.models.generate;
