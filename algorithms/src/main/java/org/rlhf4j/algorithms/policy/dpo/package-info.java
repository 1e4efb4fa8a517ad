/**
 * The DPO family of offline policy optimizers: {@code dpo}, {@code ipo}, {@code margin-dpo} and
 * {@code scaled-dpo}, each a {@link org.rlhf4j.api.policy.PreferenceOptimizer} plugin, and the
 * {@link org.rlhf4j.algorithms.policy.dpo.DpoTrainer} that trains a Llama policy with any of them.
 *
 * <p>Typical use:
 * <pre>{@code
 * DpoEncodeResult encoded = new DpoEncoder(tokenizer, new PlainChatTemplate(), 256, TruncationMode.FILTER)
 *         .encode(pairs);
 * try (LlamaModel reference = policy.copy(null);
 *         DpoTrainer trainer = new DpoTrainer(policy, reference, new DpoOptimizer(), config)) {
 *     trainer.train(encoded.examples());
 * }
 * }</pre>
 */
package org.rlhf4j.algorithms.policy.dpo;
