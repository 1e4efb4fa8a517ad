package org.rlhf4j.hardware;

/**
 * The split of one role over its GPUs: tensor parallel inside a node, pipeline parallel over
 * groups of layers, and data parallel replicas of that model-parallel group.
 *
 * @param tensor tensor parallel size (TP)
 * @param pipeline pipeline parallel size (PP)
 * @param data data parallel size (DP)
 */
public record Parallelism(int tensor, int pipeline, int data) {

    public Parallelism {
        requirePositive("tensor", tensor);
        requirePositive("pipeline", pipeline);
        requirePositive("data", data);
    }

    /** Returns {@code tensor * pipeline}, the GPUs that hold one copy of the model. */
    public int modelParallel() {
        return tensor * pipeline;
    }

    /** Returns {@code tensor * pipeline * data}. */
    public int gpus() {
        return modelParallel() * data;
    }

    /** Returns the layout without DP, such as {@code "TP 8 x PP 2"}. */
    public String modelParallelText() {
        return "TP " + tensor + " x PP " + pipeline;
    }

    @Override
    public String toString() {
        return modelParallelText() + " x DP " + data;
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " parallel size must be at least 1, got " + value);
        }
    }
}
