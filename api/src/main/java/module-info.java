/**
 * Service interfaces of rlhf4j and the value types they share.
 *
 * <p>Every built-in loss, optimizer, data source and device backend implements one of the
 * interfaces here and is registered with {@code provides ... with}; third-party jars do the same.
 */
module org.rlhf4j.api {
    requires transitive ai.djl.api;
    requires org.slf4j;

    exports org.rlhf4j.api;
    exports org.rlhf4j.api.loss;
    exports org.rlhf4j.api.policy;
    exports org.rlhf4j.api.data;
    exports org.rlhf4j.api.device;

    uses org.rlhf4j.api.loss.RewardLoss;
    uses org.rlhf4j.api.loss.RegressionLoss;
    uses org.rlhf4j.api.policy.PolicyOptimizer;
    uses org.rlhf4j.api.data.DataSource;
    uses org.rlhf4j.api.device.DeviceBackend;
}
