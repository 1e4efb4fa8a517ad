package org.rlhf4j.cli;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlhf4j.algorithms.parallel.DataParallel;

/** Parser of the {@code --devices} value, a comma-separated list such as {@code cpu} or {@code cuda:0,cuda:1}. */
final class DeviceList {

    private static final Pattern GPU = Pattern.compile("(?:cuda|gpu):?(\\d+)");

    private DeviceList() {}

    /**
     * Parses a device list and checks that every device exists on this machine.
     *
     * @param text {@code cpu}, {@code cuda:N} or {@code gpuN} entries separated by commas
     * @return the devices in the given order, the first one holding the model and the optimizer state
     * @throws IllegalArgumentException naming the entry that is malformed, repeated or not available
     */
    static List<Device> parse(String text) {
        List<Device> devices = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            Device device = parseOne(entry.strip().toLowerCase(Locale.ROOT));
            if (device == null) {
                throw new IllegalArgumentException("Invalid --devices entry '" + entry.strip()
                        + "': expected cpu or cuda:N (for example --devices cuda:0,cuda:1)");
            }
            if (devices.contains(device) && device.isGpu()) {
                throw new IllegalArgumentException("--devices lists " + entry.strip() + " twice. Give each GPU once");
            }
            devices.add(device);
        }
        return DataParallel.requireAvailable(devices);
    }

    private static Device parseOne(String entry) {
        if (entry.equals("cpu")) {
            return Device.cpu();
        }
        Matcher matcher = GPU.matcher(entry);
        return matcher.matches() ? Device.gpu(Integer.parseInt(matcher.group(1))) : null;
    }
}
