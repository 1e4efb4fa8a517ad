package org.rlhf4j.algorithms.regression;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gradient bookkeeping shared by the trainers of this package. It repeats the private helpers of
 * {@link org.rlhf4j.algorithms.reward.RewardTrainer}, so both trainers can later use one copy.
 */
final class Gradients {

    private Gradients() {
    }

    /**
     * Fetches the gradient of every parameter and attaches it to {@code scope}. The PyTorch engine
     * returns a new array attached to the parameter's manager on every call, so leaving it there
     * would grow the model's manager by one array per parameter and step.
     *
     * @param parameters the parameters by name
     * @param scope the manager that takes ownership of the fetched arrays
     * @return the gradients by parameter name, in parameter order
     */
    static Map<String, NDArray> fetch(Map<String, NDArray> parameters, NDManager scope) {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            NDArray gradient = entry.getValue().getGradient();
            gradient.attach(scope);
            gradients.put(entry.getKey(), gradient);
        }
        return gradients;
    }

    /** Zeroes gradients in place; the fetched arrays share storage with the parameters' gradients. */
    static void zero(Map<String, NDArray> gradients) {
        for (NDArray gradient : gradients.values()) {
            gradient.muli(0f);
        }
    }
}
