package org.rlhf4j.api.device;

import ai.djl.Device;
import java.util.List;
import org.rlhf4j.api.Plugin;

/**
 * A kind of device that models can be trained on, such as {@code cpu} or {@code cuda}.
 */
public interface DeviceBackend extends Plugin {

    /**
     * Tells whether at least one device of this kind can be used in this process.
     *
     * @return true when {@link #devices()} is not empty
     */
    boolean isAvailable();

    /**
     * Lists the devices of this kind with their memory figures, taken at the time of the call.
     *
     * @return the devices, empty when none is available
     */
    List<DeviceInfo> devices();

    /**
     * Returns the DJL device for one of {@link #devices()}.
     *
     * @param index device index, 0-based
     * @return the DJL device
     * @throws IllegalArgumentException when no device has that index
     */
    Device toDjlDevice(int index);
}
