package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.algorithms.optim.AdamW;
import org.rlhf4j.algorithms.optim.GradientClipping;
import org.rlhf4j.algorithms.policy.ParameterGradients;
import org.rlhf4j.algorithms.policy.TrainingDivergedException;

/**
 * AdamW over one model's parameters with gradient clipping by global norm, applied after the
 * gradients of an update were accumulated.
 */
final class ParameterUpdate implements AutoCloseable {

    private final String modelName;
    private final Map<String, NDArray> parameters;
    private final AdamW optimizer;
    private final double maxGradNorm;

    /**
     * Marks every parameter as requiring gradients, zeroes leftover gradients and creates the optimizer.
     *
     * @param modelName "policy" or "critic", for error messages
     * @param parameters the live parameters
     * @param optimizer the optimizer settings
     * @param maxGradNorm the largest global gradient norm, or 0 for no clipping
     * @param scope a manager for the fetched gradients
     */
    ParameterUpdate(String modelName, Map<String, NDArray> parameters, AdamW.Builder optimizer, double maxGradNorm,
            NDManager scope) {
        this.modelName = modelName;
        this.parameters = new LinkedHashMap<>(parameters);
        for (NDArray parameter : this.parameters.values()) {
            parameter.setRequiresGradient(true);
        }
        this.optimizer = optimizer.build(this.parameters);
        this.maxGradNorm = maxGradNorm;
        ParameterGradients.zero(ParameterGradients.fetch(this.parameters, scope));
    }

    AdamW optimizer() {
        return optimizer;
    }

    /**
     * Clips the accumulated gradients, applies one AdamW step and zeroes the gradients.
     *
     * @param scope the manager that takes the fetched gradient arrays
     * @param learningRate the learning rate of this update
     * @param step the training step, for the error message
     * @return the global gradient norm before clipping
     * @throws TrainingDivergedException when the norm is NaN or infinite; the gradients are then
     *     zeroed and the parameters unchanged
     */
    double apply(NDManager scope, double learningRate, long step) {
        Map<String, NDArray> gradients = ParameterGradients.fetch(parameters, scope);
        double norm = maxGradNorm > 0
                ? GradientClipping.clipByGlobalNorm(gradients, maxGradNorm)
                : GradientClipping.globalNorm(gradients.values());
        if (!Double.isFinite(norm)) {
            ParameterGradients.zero(gradients);
            throw new TrainingDivergedException("gradient norm of the " + modelName, norm, step,
                    OnlineSession.LOWER_LEARNING_RATE);
        }
        optimizer.step(gradients, learningRate);
        ParameterGradients.zero(gradients);
        return norm;
    }

    /** Zeroes the accumulated gradients without an update. */
    void discard(NDManager scope) {
        ParameterGradients.zero(ParameterGradients.fetch(parameters, scope));
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
