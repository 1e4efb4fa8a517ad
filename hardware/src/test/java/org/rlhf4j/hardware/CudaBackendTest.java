package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.device.DeviceInfo;

class CudaBackendTest {

    private final CudaBackend cuda = new CudaBackend();

    @Test
    void unavailableWithoutGpu() {
        assumeFalse(CudaUtils.hasCuda(), "this machine has a CUDA GPU; the test checks a machine without one");

        assertThat(cuda.isAvailable()).isFalse();
        assertThat(cuda.devices()).isEmpty();
    }

    @Test
    void rejectsDeviceWithoutGpu() {
        assumeFalse(CudaUtils.hasCuda(), "this machine has a CUDA GPU; the test checks a machine without one");

        assertThatThrownBy(() -> cuda.toDjlDevice(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 0 CUDA device(s)");
    }

    @Test
    void rejectsNegativeIndex() {
        assertThatThrownBy(() -> cuda.toDjlDevice(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index -1");
    }

    @Test
    @Tag("gpu")
    void listsGpusWithMemory() {
        Assumptions.assumeTrue(cuda.isAvailable(), "No CUDA device: the CUDA runtime reports no GPU on this machine");
        List<DeviceInfo> devices = cuda.devices();

        assertThat(devices).isNotEmpty();
        DeviceInfo first = devices.get(0);
        assertThat(first.backend()).isEqualTo("cuda");
        assertThat(first.totalMemoryBytes()).isPositive();
        assertThat(first.freeMemoryBytes()).isBetween(0L, first.totalMemoryBytes());
        assertThat(first.name()).contains("compute capability");
        assertThat(cuda.toDjlDevice(0)).isEqualTo(Device.gpu(0));
    }
}
