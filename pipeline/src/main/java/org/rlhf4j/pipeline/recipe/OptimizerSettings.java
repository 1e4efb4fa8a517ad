package org.rlhf4j.pipeline.recipe;

/**
 * AdamW and gradient-clipping settings shared by the stages of a recipe.
 *
 * @param weightDecay decoupled weight decay
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon denominator term
 * @param maxGradNorm global gradient L2 norm limit; 0 turns clipping off
 */
public record OptimizerSettings(double weightDecay, double beta1, double beta2, double epsilon, double maxGradNorm) {

    static OptimizerSettings read(JsonFields fields) {
        OptimizerSettings settings = new OptimizerSettings(
                fields.number("weight_decay", 0, 10),
                fields.number("beta1", 0, 0.999999),
                fields.number("beta2", 0, 0.999999),
                fields.optNumber("epsilon", 1e-12, 1, 1e-8),
                fields.number("max_grad_norm", 0, 1e6));
        fields.rejectUnknownKeys();
        return settings;
    }
}
