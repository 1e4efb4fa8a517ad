package org.rlhf4j.algorithms.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fetches and zeroes the gradients of a model's parameters without leaving arrays in the model's
 * manager.
 */
public final class ParameterGradients {

    private ParameterGradients() {
    }

    /**
     * Fetches the gradient of every parameter and attaches it to {@code scope}. The PyTorch engine
     * returns a new array attached to the parameter's manager on every call, so leaving it there
     * would grow the model's manager by one array per parameter and step. The fetched arrays share
     * storage with the parameters' gradients, so changing them in place changes the gradients.
     *
     * @param parameters the parameters by name; each must require gradients
     * @param scope the manager that closes the fetched arrays, typically the step's manager
     * @return the gradients by the same names, in the same order
     */
    public static Map<String, NDArray> fetch(Map<String, NDArray> parameters, NDManager scope) {
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            NDArray gradient = entry.getValue().getGradient();
            gradient.attach(scope);
            gradients.put(entry.getKey(), gradient);
        }
        return gradients;
    }

    /**
     * Zeroes gradients in place, so that the next backward pass starts from zero.
     *
     * @param gradients gradients fetched with {@link #fetch}
     */
    public static void zero(Map<String, NDArray> gradients) {
        for (NDArray gradient : gradients.values()) {
            gradient.muli(0f);
        }
    }
}
