package org.rlhf4j.hardware;

import ai.djl.Device;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import org.rlhf4j.api.device.DeviceBackend;
import org.rlhf4j.api.device.DeviceInfo;

/**
 * The host CPU as one device.
 *
 * <p>Total memory is the JVM's maximum heap ({@link Runtime#maxMemory()}). Free memory is the
 * operating system's free physical memory, read through {@code com.sun.management}, or -1 where
 * that bean is not available. Note that DJL engines allocate tensors in native memory outside the
 * Java heap, so the two figures measure different pools.
 */
public final class CpuBackend implements DeviceBackend {

    /** Plugin name of this backend. */
    public static final String NAME = "cpu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "The host CPU, always available.";
    }

    /** Returns true: the CPU is always there. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public List<DeviceInfo> devices() {
        String label = "CPU (" + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.arch") + ")";
        return List.of(new DeviceInfo(NAME, 0, label, Runtime.getRuntime().maxMemory(), freePhysicalMemory()));
    }

    /**
     * Returns {@link Device#cpu()}.
     *
     * @throws IllegalArgumentException when {@code index} is not 0
     */
    @Override
    public Device toDjlDevice(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("The cpu backend has only device 0, got index " + index);
        }
        return Device.cpu();
    }

    private static long freePhysicalMemory() {
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        if (bean instanceof com.sun.management.OperatingSystemMXBean osBean) {
            return osBean.getFreeMemorySize();
        }
        return -1;
    }
}
