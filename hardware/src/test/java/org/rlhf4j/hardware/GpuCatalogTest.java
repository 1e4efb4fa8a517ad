package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GpuCatalogTest {

    @Test
    void listsSixGpus() {
        assertThat(GpuCatalog.names()).containsExactly(
                "a100-40gb-sxm", "a100-80gb-sxm", "a100-80gb-pcie", "h100-80gb-sxm", "h100-80gb-pcie",
                "h200-141gb-sxm");
    }

    @Test
    void lookupIgnoresCase() {
        assertThat(GpuCatalog.byName("H100-80GB-SXM")).isSameAs(GpuCatalog.H100_80GB_SXM);
    }

    @Test
    void lookupAcceptsDisplayName() {
        assertThat(GpuCatalog.byName("A100 80GB PCIe")).isSameAs(GpuCatalog.A100_80GB_PCIE);
    }

    @Test
    void unknownNameListsKnownNames() {
        assertThatThrownBy(() -> GpuCatalog.byName("v100"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'v100'")
                .hasMessageContaining("a100-40gb-sxm, a100-80gb-sxm, a100-80gb-pcie, h100-80gb-sxm");
    }

    @Test
    void denseBf16ThroughputIsHalfOfSparse() {
        // datasheets print 624 (A100), 1,979 (H100 SXM, H200) and 1,513 (H100 PCIe) TFLOPS with sparsity
        assertThat(GpuCatalog.A100_80GB_SXM.bf16DenseTflops()).isEqualTo(312);
        assertThat(GpuCatalog.H100_80GB_SXM.bf16DenseTflops()).isEqualTo(989);
        assertThat(GpuCatalog.H100_80GB_PCIE.bf16DenseTflops()).isEqualTo(756);
        assertThat(GpuCatalog.H200_141GB_SXM.bf16DenseTflops()).isEqualTo(989);
    }

    @Test
    void nvlinkBandwidthMatchesDatasheets() {
        assertThat(GpuCatalog.A100_40GB_SXM.nvlinkGbPerSecond()).isEqualTo(600);
        assertThat(GpuCatalog.H100_80GB_SXM.nvlinkGbPerSecond()).isEqualTo(900);
        assertThat(GpuCatalog.H100_80GB_PCIE.nvlinkGbPerSecond()).isEqualTo(600);
        assertThat(GpuCatalog.H200_141GB_SXM.nvlinkGbPerSecond()).isEqualTo(900);
    }

    @Test
    void pcieCardsPairOverNvlinkBridge() {
        assertThat(GpuCatalog.A100_80GB_PCIE.nvlinkGroupSize()).isEqualTo(2);
        assertThat(GpuCatalog.H100_80GB_PCIE.nvlinkGroupSize()).isEqualTo(2);
        assertThat(GpuCatalog.H100_80GB_SXM.nvlinkGroupSize()).isEqualTo(8);
    }

    @Test
    void memoryBytesUseDecimalGigabytes() {
        assertThat(GpuCatalog.H100_80GB_SXM.memoryBytes()).isEqualTo(80_000_000_000L);
        assertThat(GpuCatalog.H200_141GB_SXM.memoryBytes()).isEqualTo(141_000_000_000L);
    }

    @Test
    void memoryBytesStayBelowDriverTotal() {
        // nvidia-smi reports 81,559 MiB on an H100 80GB
        long h100DriverTotal = 81_559L * 1024 * 1024;

        assertThat(GpuCatalog.H100_80GB_SXM.memoryBytes()).isLessThan(h100DriverTotal);
    }

    @Test
    void everyGpuNamesItsDatasheet() {
        assertThat(GpuCatalog.all()).allSatisfy(gpu -> {
            assertThat(gpu.source()).contains("datasheet");
            assertThat(gpu.gpusPerNode()).isEqualTo(8);
        });
    }

    @Test
    void invalidSpecIsRejected() {
        assertThatThrownBy(() -> new GpuSpec("x", "X", 0, 1, 1, 1, 1, 1, "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memoryGb must be positive, got 0");
    }
}
