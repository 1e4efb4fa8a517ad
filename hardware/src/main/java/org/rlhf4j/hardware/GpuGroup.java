package org.rlhf4j.hardware;

import java.util.List;
import java.util.Objects;

/**
 * GPUs that a set of roles share. Every role of the group is split over all of its GPUs. The roles
 * run one after another, so their model states add up while only the largest working set counts.
 *
 * @param index 1-based index of the group
 * @param firstGpu index of the first GPU, counting node by node
 * @param gpuCount number of GPUs
 * @param roles names of the roles on these GPUs
 * @param stateBytes sum of the roles' weights, gradients and optimizer state per GPU
 * @param workingBytes the largest activation or KV cache figure of the roles, per GPU
 * @param usableBytes GPU memory left after the reserve
 */
public record GpuGroup(
        int index, int firstGpu, int gpuCount, List<String> roles, long stateBytes, long workingBytes,
        long usableBytes) {

    public GpuGroup {
        roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
    }

    /** Returns the peak memory of one GPU, {@code stateBytes + workingBytes}. */
    public long peakBytes() {
        return stateBytes + workingBytes;
    }

    /** Tells whether the peak stays within the usable memory. */
    public boolean fits() {
        return peakBytes() <= usableBytes;
    }

    /** Returns the GPU indices as text, such as {@code "0-63"} or {@code "8"}. */
    public String gpuRange() {
        return gpuCount == 1 ? Integer.toString(firstGpu) : firstGpu + "-" + (firstGpu + gpuCount - 1);
    }
}
