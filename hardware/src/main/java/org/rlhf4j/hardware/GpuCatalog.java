package org.rlhf4j.hardware;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * NVIDIA data-center GPUs that rlhf4j can plan for, with figures taken from NVIDIA's datasheets.
 *
 * <p>Throughputs are dense (the datasheets print BF16 "with sparsity", which is twice the dense
 * figure). NVLink bandwidths are the total bidirectional figures that the datasheets print.
 */
public final class GpuCatalog {

    private static final String A100_DATASHEET = "NVIDIA A100 Tensor Core GPU datasheet (June 2021)";
    private static final String H100_DATASHEET = "NVIDIA H100 Tensor Core GPU datasheet (SXM and PCIe editions)";
    private static final String H200_DATASHEET = "NVIDIA H200 Tensor Core GPU datasheet (2024)";

    private static final int NODE_SIZE = 8;
    private static final int NVSWITCH_GROUP = 8;
    private static final int NVLINK_BRIDGE_GROUP = 2;

    /** A100 40GB SXM: 40 GB HBM2, 1,555 GB/s, BF16 312 TFLOPS, NVLink 600 GB/s. */
    public static final GpuSpec A100_40GB_SXM = new GpuSpec("a100-40gb-sxm", "A100 40GB SXM",
            40, 1555, 312, 600, NVSWITCH_GROUP, NODE_SIZE, A100_DATASHEET);

    /** A100 80GB SXM: 80 GB HBM2e, 2,039 GB/s, BF16 312 TFLOPS, NVLink 600 GB/s. */
    public static final GpuSpec A100_80GB_SXM = new GpuSpec("a100-80gb-sxm", "A100 80GB SXM",
            80, 2039, 312, 600, NVSWITCH_GROUP, NODE_SIZE, A100_DATASHEET);

    /** A100 80GB PCIe: 80 GB HBM2e, 1,935 GB/s, BF16 312 TFLOPS, NVLink bridge for 2 GPUs 600 GB/s. */
    public static final GpuSpec A100_80GB_PCIE = new GpuSpec("a100-80gb-pcie", "A100 80GB PCIe",
            80, 1935, 312, 600, NVLINK_BRIDGE_GROUP, NODE_SIZE, A100_DATASHEET);

    /** H100 80GB SXM: 80 GB HBM3, 3,350 GB/s, BF16 989 TFLOPS dense (1,979 sparse), NVLink 900 GB/s. */
    public static final GpuSpec H100_80GB_SXM = new GpuSpec("h100-80gb-sxm", "H100 80GB SXM",
            80, 3350, 989, 900, NVSWITCH_GROUP, NODE_SIZE, H100_DATASHEET);

    /**
     * H100 80GB PCIe: 80 GB HBM2e, 2,000 GB/s, BF16 756 TFLOPS dense (1,513 sparse), NVLink bridge
     * 600 GB/s.
     */
    public static final GpuSpec H100_80GB_PCIE = new GpuSpec("h100-80gb-pcie", "H100 80GB PCIe",
            80, 2000, 756, 600, NVLINK_BRIDGE_GROUP, NODE_SIZE, H100_DATASHEET);

    /** H200 141GB SXM: 141 GB HBM3e, 4,800 GB/s, BF16 989 TFLOPS dense (1,979 sparse), NVLink 900 GB/s. */
    public static final GpuSpec H200_141GB_SXM = new GpuSpec("h200-141gb-sxm", "H200 141GB SXM",
            141, 4800, 989, 900, NVSWITCH_GROUP, NODE_SIZE, H200_DATASHEET);

    private static final List<GpuSpec> ALL = List.of(
            A100_40GB_SXM, A100_80GB_SXM, A100_80GB_PCIE, H100_80GB_SXM, H100_80GB_PCIE, H200_141GB_SXM);

    private static final Map<String, GpuSpec> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(GpuSpec::name, Function.identity()));

    private GpuCatalog() {}

    /** Returns every GPU of the catalog, A100 first, then H100, then H200. */
    public static List<GpuSpec> all() {
        return ALL;
    }

    /** Returns the catalog keys in catalog order. */
    public static List<String> names() {
        return ALL.stream().map(GpuSpec::name).toList();
    }

    /**
     * Looks up a GPU by catalog key or display name, ignoring case. Spaces and underscores count
     * as hyphens, so {@code "H100 80GB SXM"} finds {@code h100-80gb-sxm}.
     *
     * @param name the key or display name
     * @return the GPU
     * @throws IllegalArgumentException when no GPU has that name. The message lists the known names.
     */
    public static GpuSpec byName(String name) {
        GpuSpec spec = name == null ? null : BY_NAME.get(normalize(name));
        if (spec == null) {
            throw new IllegalArgumentException(
                    "Unknown GPU '" + name + "'. Known GPUs: " + String.join(", ", names()));
        }
        return spec;
    }

    private static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "-");
    }
}
