package org.rlhf4j.hardware;

import java.util.Objects;

/**
 * The placement of one role: its GPUs, its layout and its memory on each GPU. All byte figures
 * are per GPU.
 *
 * @param spec the role
 * @param parameters the role's parameter count
 * @param unshardedStateBytes weights, gradients and optimizer state of the whole model before any
 *     sharding
 * @param parallelism its tensor, pipeline and data parallel sizes
 * @param group 1-based index of the {@link GpuGroup} the role runs on
 * @param firstGpu index of the first GPU of that group, counting node by node
 * @param gpuCount GPUs of that group
 * @param weightBytes the weight shard, {@code weights / (TP * PP)}
 * @param gradientBytes the gradient shard, {@code gradients / (TP * PP)}; 0 when frozen
 * @param optimizerBytes AdamW moments and float32 master weights, divided by {@code TP * PP}, and
 *     by DP as well under optimizer sharding (ZeRO stage 1); 0 when frozen
 * @param activationBytes activations of one micro batch divided by TP: those kept for the backward
 *     pass when trainable, the forward working memory when frozen
 * @param kvCacheBytes the KV cache of generation for one micro batch, 0 when the role does not generate
 * @param why a human-readable explanation of the layout and the figures
 */
public record RolePlacement(
        RoleSpec spec,
        long parameters,
        long unshardedStateBytes,
        Parallelism parallelism,
        int group,
        int firstGpu,
        int gpuCount,
        long weightBytes,
        long gradientBytes,
        long optimizerBytes,
        long activationBytes,
        long kvCacheBytes,
        String why) {

    public RolePlacement {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(parallelism, "parallelism");
        Objects.requireNonNull(why, "why");
    }

    /** Returns the role's name, such as {@code "policy"}. */
    public String name() {
        return spec.name();
    }

    /** Returns weights, gradients and optimizer state per GPU. */
    public long stateBytes() {
        return weightBytes + gradientBytes + optimizerBytes;
    }

    /**
     * Returns the larger of the activations and the KV cache: a role that both trains and
     * generates does the two one after the other.
     */
    public long workingBytes() {
        return Math.max(activationBytes, kvCacheBytes);
    }

    /** Returns the role's own peak per GPU, {@code stateBytes() + workingBytes()}. */
    public long totalBytes() {
        return stateBytes() + workingBytes();
    }
}
