package org.rlhf4j.algorithms.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.Map;

/** Checks saved tensors against live arrays and copies them in bit for bit. */
final class TensorCopies {

    private TensorCopies() {}

    /**
     * Checks that the saved tensors have exactly the names, shapes and data types of the live ones.
     *
     * @throws IllegalArgumentException naming the first tensor that is missing, extra or different
     */
    static void requireMatching(Path directory, String what, Map<String, NDArray> saved, Map<String, NDArray> live) {
        String prefix = "Cannot resume from " + directory + ": ";
        for (Map.Entry<String, NDArray> entry : live.entrySet()) {
            NDArray stored = saved.get(entry.getKey());
            if (stored == null) {
                throw new IllegalArgumentException(prefix + "it has no " + what + " '" + entry.getKey() + "'");
            }
            NDArray target = entry.getValue();
            if (!stored.getShape().equals(target.getShape()) || stored.getDataType() != target.getDataType()) {
                throw new IllegalArgumentException(prefix + what + " '" + entry.getKey() + "' is "
                        + stored.getDataType() + " " + stored.getShape() + " in the checkpoint but "
                        + target.getDataType() + " " + target.getShape() + " in this run");
            }
        }
        for (String name : saved.keySet()) {
            if (!live.containsKey(name)) {
                throw new IllegalArgumentException(prefix + "it has " + what + " '" + name
                        + "', which this run does not have");
            }
        }
    }

    /**
     * Copies values bit for bit into a live array, through a detached view so that autograd does
     * not record the write. Arithmetic copies such as {@code target * 0 + source} would turn a saved
     * -0.0 into +0.0.
     */
    static void copyExactly(NDArray source, NDArray target) {
        try (NDManager scope = target.getManager().newSubManager()) {
            NDArray view = target.stopGradient();
            view.attach(scope);
            NDArray value = source;
            if (!source.getDevice().equals(target.getDevice())) {
                value = source.toDevice(target.getDevice(), true);
                value.attach(scope);
            }
            view.set(new NDIndex("..."), value);
        }
    }
}
