package org.rlhf4j.hardware;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.device.DeviceBackend;
import org.rlhf4j.api.device.DeviceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NVIDIA GPUs found through the CUDA runtime, queried with DJL's {@link CudaUtils}.
 *
 * <p>On a machine without a GPU, CUDA runtime or driver, the backend reports itself unavailable
 * with no devices. It catches the errors of the missing library instead of throwing them. DJL
 * finds the CUDA runtime through JNA as {@code libcudart.so}, so a machine with only the driver
 * installed also reports no GPU.
 *
 * <p>Training on several GPUs of one node is data parallelism in the algorithms module
 * ({@code org.rlhf4j.algorithms.parallel.DataParallel}): one model replica per GPU, with the
 * gradients copied to the first GPU and summed there. DJL's PyTorch engine exposes no collective
 * operation such as NCCL all-reduce, so there is no all-reduce between the GPUs.
 */
public final class CudaBackend implements DeviceBackend {

    /** Plugin name of this backend. */
    public static final String NAME = "cuda";

    private static final Logger logger = LoggerFactory.getLogger(CudaBackend.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "NVIDIA GPUs through the CUDA runtime.";
    }

    @Override
    public boolean isAvailable() {
        return gpuCount() > 0;
    }

    /**
     * Lists the GPUs with total and free memory. A GPU whose memory cannot be read is listed with
     * -1 for both figures.
     */
    @Override
    public List<DeviceInfo> devices() {
        int count = gpuCount();
        List<DeviceInfo> devices = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            devices.add(describe(index));
        }
        return List.copyOf(devices);
    }

    /**
     * Returns {@link Device#gpu(int)} for a GPU that exists.
     *
     * @throws IllegalArgumentException when no GPU has that index, including on machines without GPUs
     */
    @Override
    public Device toDjlDevice(int index) {
        int count = gpuCount();
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(
                    "No CUDA device with index " + index + "; this machine has " + count + " CUDA device(s)");
        }
        return Device.gpu(index);
    }

    private static int gpuCount() {
        try {
            return CudaUtils.getGpuCount();
        } catch (LinkageError | RuntimeException e) {
            // LinkageError: JNA or the CUDA runtime library could not be loaded.
            logger.debug("Cannot query the CUDA runtime, reporting no GPU: {}", e.toString());
            return 0;
        }
    }

    private static DeviceInfo describe(int index) {
        String label = "CUDA GPU " + index + computeCapabilitySuffix(index);
        try {
            MemoryUsage usage = CudaUtils.getGpuMemory(Device.gpu(index));
            long total = usage.getMax();
            return new DeviceInfo(NAME, index, label, total, total - usage.getUsed());
        } catch (LinkageError | RuntimeException e) {
            logger.warn("Cannot read the memory of CUDA device {}: {}", index, e.toString());
            return new DeviceInfo(NAME, index, label, -1, -1);
        }
    }

    private static String computeCapabilitySuffix(int index) {
        try {
            String capability = CudaUtils.getComputeCapability(index);
            if (capability.length() < 2) {
                return " (compute capability " + capability + ")";
            }
            int split = capability.length() - 1;
            return " (compute capability " + capability.substring(0, split) + "." + capability.substring(split) + ")";
        } catch (LinkageError | RuntimeException e) {
            logger.debug("Cannot read the compute capability of CUDA device {}: {}", index, e.toString());
            return "";
        }
    }
}
