package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.device.DeviceBackend;
import org.rlhf4j.api.device.DeviceInfo;

class DeviceBackendTest {

    @Test
    void cpuIsAlwaysAvailable() {
        CpuBackend cpu = new CpuBackend();

        assertThat(cpu.isAvailable()).isTrue();
        assertThat(cpu.toDjlDevice(0)).isEqualTo(Device.cpu());
    }

    @Test
    void cpuListsOneDeviceWithMemory() {
        List<DeviceInfo> devices = new CpuBackend().devices();

        assertThat(devices).hasSize(1);
        DeviceInfo cpu = devices.get(0);
        assertThat(cpu.backend()).isEqualTo("cpu");
        assertThat(cpu.index()).isZero();
        assertThat(cpu.totalMemoryBytes()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(cpu.freeMemoryBytes()).isPositive();
    }

    @Test
    void cpuRejectsOtherIndex() {
        assertThatThrownBy(() -> new CpuBackend().toDjlDevice(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got index 1");
    }

    @Test
    void moduleProvidesBothBackends() {
        ModuleDescriptor descriptor = CpuBackend.class.getModule().getDescriptor();

        assertThat(descriptor).as("hardware must run as a named module").isNotNull();
        List<String> providers = descriptor.provides().stream()
                .filter(provides -> provides.service().equals(DeviceBackend.class.getName()))
                .flatMap(provides -> provides.providers().stream())
                .toList();
        assertThat(providers).containsExactly(CpuBackend.class.getName(), CudaBackend.class.getName());
    }
}
