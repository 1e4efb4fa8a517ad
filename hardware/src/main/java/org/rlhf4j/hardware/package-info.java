/**
 * Hardware facts and device discovery: a catalog of NVIDIA data-center GPUs ({@link
 * org.rlhf4j.hardware.GpuCatalog}), transformer shapes with parameter counts ({@link
 * org.rlhf4j.hardware.ModelShape}), per-role memory estimates ({@link
 * org.rlhf4j.hardware.MemoryEstimator}) and the {@code cpu} and {@code cuda} device backends.
 */
package org.rlhf4j.hardware;
