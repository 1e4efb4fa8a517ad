/**
 * Shared pieces of policy training: gradient handling and the exception that stops a run whose
 * loss or gradients became NaN or infinite. The DPO family lives in
 * {@link org.rlhf4j.algorithms.policy.dpo}.
 */
package org.rlhf4j.algorithms.policy;
