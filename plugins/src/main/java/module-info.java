/**
 * Plugin discovery (module path, class path, plugin folder) and Guice wiring.
 *
 * <p>The {@code uses} clauses let this module call {@link java.util.ServiceLoader} for every
 * service interface of {@code org.rlhf4j.api}. The package is open to Guice, which calls the
 * provider methods of {@link org.rlhf4j.plugins.PluginModule} reflectively.
 */
module org.rlhf4j.plugins {
    requires transitive org.rlhf4j.api;
    requires transitive com.google.guice;
    requires jakarta.inject;
    requires org.slf4j;

    exports org.rlhf4j.plugins;

    opens org.rlhf4j.plugins to com.google.guice;

    uses org.rlhf4j.api.loss.RewardLoss;
    uses org.rlhf4j.api.loss.RegressionLoss;
    uses org.rlhf4j.api.policy.PolicyOptimizer;
    uses org.rlhf4j.api.data.DataSource;
    uses org.rlhf4j.api.device.DeviceBackend;
}
