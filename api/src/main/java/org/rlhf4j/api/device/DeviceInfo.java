package org.rlhf4j.api.device;

/**
 * One device a backend can run on.
 *
 * @param backend name of the backend that owns the device, for example {@code "cpu"}
 * @param index device index within the backend, 0-based
 * @param name a human-readable device name, for example {@code "NVIDIA H100 80GB HBM3"}
 * @param totalMemoryBytes memory of the device in bytes, or -1 when unknown
 * @param freeMemoryBytes free memory in bytes when the figure was taken, or -1 when unknown
 */
public record DeviceInfo(String backend, int index, String name, long totalMemoryBytes, long freeMemoryBytes) {}
