/**
 * GPU catalog, model memory estimates, the placement planner and the {@code cpu} and {@code cuda}
 * device backends.
 */
module org.rlhf4j.hardware {
    requires transitive org.rlhf4j.api;
    requires org.slf4j;
    requires com.google.gson;
    requires jdk.management;

    exports org.rlhf4j.hardware;

    provides org.rlhf4j.api.device.DeviceBackend with
            org.rlhf4j.hardware.CpuBackend,
            org.rlhf4j.hardware.CudaBackend;
}
