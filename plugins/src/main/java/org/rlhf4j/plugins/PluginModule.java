package org.rlhf4j.plugins;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Map;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.device.DeviceBackend;
import org.rlhf4j.api.loss.RegressionLoss;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.api.policy.PolicyOptimizer;

/**
 * Guice bindings for the plugins: a singleton {@link PluginRegistry}, and for each kind a map from
 * plugin name to plugin.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new PluginModule(pluginFolderOrNull));
 * PluginRegistry registry = injector.getInstance(PluginRegistry.class);
 * Map<String, RewardLoss> losses = injector.getInstance(new Key<Map<String, RewardLoss>>() {});
 * }</pre>
 *
 * <p>Discovery runs once, when the registry is first needed.
 */
public final class PluginModule extends AbstractModule {

    private final Path pluginFolder;

    /** Creates a module that finds plugins on the module path and the class path only. */
    public PluginModule() {
        this(null);
    }

    /**
     * Creates a module that also loads the jars of a plugin folder.
     *
     * @param pluginFolder the folder, or null for none
     */
    public PluginModule(Path pluginFolder) {
        this.pluginFolder = pluginFolder;
    }

    @Provides
    @Singleton
    PluginRegistry registry() {
        return PluginDiscovery.builder().optPluginFolder(pluginFolder).build().discover();
    }

    @Provides
    @Singleton
    Map<String, RewardLoss> rewardLosses(PluginRegistry registry) {
        return registry.plugins(PluginKind.REWARD_LOSS, RewardLoss.class);
    }

    @Provides
    @Singleton
    Map<String, RegressionLoss> regressionLosses(PluginRegistry registry) {
        return registry.plugins(PluginKind.REGRESSION_LOSS, RegressionLoss.class);
    }

    @Provides
    @Singleton
    Map<String, PolicyOptimizer> policyOptimizers(PluginRegistry registry) {
        return registry.plugins(PluginKind.POLICY_OPTIMIZER, PolicyOptimizer.class);
    }

    @Provides
    @Singleton
    Map<String, DataSource<?>> dataSources(PluginRegistry registry) {
        return registry.dataSources();
    }

    @Provides
    @Singleton
    Map<String, DeviceBackend> deviceBackends(PluginRegistry registry) {
        return registry.plugins(PluginKind.DEVICE_BACKEND, DeviceBackend.class);
    }
}
