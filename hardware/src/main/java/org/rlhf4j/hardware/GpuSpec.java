package org.rlhf4j.hardware;

import java.util.Objects;

/**
 * Datasheet figures of one GPU model.
 *
 * @param name catalog key, lowercase with hyphens, for example {@code "h100-80gb-sxm"}
 * @param displayName the name NVIDIA uses, for example {@code "H100 80GB SXM"}
 * @param memoryGb memory capacity as the datasheet prints it, in GB
 * @param memoryBandwidthGbPerSecond memory bandwidth from the datasheet, in GB/s
 * @param bf16DenseTflops peak BF16 Tensor Core throughput without structured sparsity, in TFLOPS
 *     (half of the datasheet's "with sparsity" figure)
 * @param nvlinkGbPerSecond total bidirectional NVLink bandwidth of one GPU, in GB/s
 * @param nvlinkGroupSize how many GPUs share one NVLink domain: 8 on an NVSwitch baseboard, 2 for
 *     PCIe cards joined by an NVLink bridge
 * @param gpusPerNode GPUs in the usual server for this model
 * @param source the NVIDIA datasheet the figures come from
 */
public record GpuSpec(
        String name,
        String displayName,
        int memoryGb,
        int memoryBandwidthGbPerSecond,
        double bf16DenseTflops,
        int nvlinkGbPerSecond,
        int nvlinkGroupSize,
        int gpusPerNode,
        String source) {

    private static final long BYTES_PER_GB = 1_000_000_000L;

    public GpuSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(source, "source");
        requirePositive("memoryGb", memoryGb);
        requirePositive("memoryBandwidthGbPerSecond", memoryBandwidthGbPerSecond);
        requirePositive("nvlinkGbPerSecond", nvlinkGbPerSecond);
        requirePositive("nvlinkGroupSize", nvlinkGroupSize);
        requirePositive("gpusPerNode", gpusPerNode);
        if (!(bf16DenseTflops > 0)) {
            throw new IllegalArgumentException("bf16DenseTflops must be positive, got " + bf16DenseTflops);
        }
    }

    /**
     * Returns the memory capacity in bytes, reading the datasheet's GB as decimal gigabytes
     * (10^9 bytes).
     *
     * <p>This is a lower bound of what the driver reports: nvidia-smi shows 40,960 MiB on an A100
     * 40GB, 81,920 MiB on an A100 80GB and 81,559 MiB on an H100 80GB, all above the decimal
     * figure. Planning with the lower bound leaves headroom.
     *
     * @return {@code memoryGb * 10^9}
     */
    public long memoryBytes() {
        return memoryGb * BYTES_PER_GB;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
