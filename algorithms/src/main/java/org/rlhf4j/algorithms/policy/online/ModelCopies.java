package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.models.llama.LlamaModel;

/** Deep copies of models, used for the frozen reference policy and for critics built from reward models. */
public final class ModelCopies {

    private ModelCopies() {}

    /**
     * Copies a decoder into a new base manager on the same device. The copy shares no storage
     * with the original and does not record gradients, so it can serve as a frozen reference.
     *
     * <p>The copy must be made outside a gradient collector, as trainers do before training.
     *
     * @param model the decoder to copy
     * @return the copy; the caller closes it
     */
    public static LlamaModel copyOf(LlamaModel model) {
        NDManager manager = NDManager.newBaseManager(model.manager().getDevice());
        manager.setName("llama-model-copy");
        try {
            return LlamaModel.of(model.config(), manager, copyArrays(model.parameters(), manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Copies arrays into a manager.
     *
     * @param arrays the arrays by name; not changed
     * @param target the manager that owns the copies
     * @return the copies by the same names, in the same order, without gradient tracking
     */
    static Map<String, NDArray> copyArrays(Map<String, NDArray> arrays, NDManager target) {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : arrays.entrySet()) {
            copies.put(entry.getKey(), copy(entry.getValue(), target));
        }
        return copies;
    }

    /** Returns a copy of {@code array} attached to {@code target}, without gradient tracking. */
    static NDArray copy(NDArray array, NDManager target) {
        try (NDManager scratch = array.getManager().newSubManager()) {
            NDArray detached = array.stopGradient();
            detached.attach(scratch);
            NDArray copy = detached.duplicate();
            copy.attach(target);
            return copy;
        }
    }
}
