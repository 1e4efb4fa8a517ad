package org.rlhf4j.plugins;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.device.DeviceBackend;
import org.rlhf4j.api.loss.RegressionLoss;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.api.policy.PolicyOptimizer;

/**
 * An immutable set of plugins, looked up by kind and name. {@link PluginDiscovery} builds it.
 *
 * <p>Names are unique within a kind, but plugins of different kinds may share a name.
 */
public final class PluginRegistry {

    private final Map<PluginKind, Map<String, PluginDescriptor>> byKind;
    private final List<PluginProblem> problems;

    private PluginRegistry(Map<PluginKind, Map<String, PluginDescriptor>> byKind, List<PluginProblem> problems) {
        this.byKind = byKind;
        this.problems = problems;
    }

    /**
     * Creates a registry from descriptors that have already passed the name and SPI checks.
     *
     * @param descriptors the plugins
     * @param problems plugins and jars that were rejected, kept for reporting
     * @return the registry
     * @throws PluginException when two plugins of one kind have the same name. The message names
     *     both sources.
     */
    public static PluginRegistry of(Collection<PluginDescriptor> descriptors, List<PluginProblem> problems) {
        Map<PluginKind, Map<String, PluginDescriptor>> byKind = new EnumMap<>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
        for (PluginDescriptor descriptor : descriptors) {
            PluginDescriptor previous = byKind.get(descriptor.kind()).putIfAbsent(descriptor.name(), descriptor);
            if (previous != null) {
                throw duplicate(previous, descriptor);
            }
        }
        byKind.replaceAll((kind, plugins) -> Collections.unmodifiableMap(plugins));
        return new PluginRegistry(Collections.unmodifiableMap(byKind), List.copyOf(problems));
    }

    /** Returns an empty registry. */
    public static PluginRegistry empty() {
        return of(List.of(), List.of());
    }

    /**
     * Finds the descriptor of a plugin.
     *
     * @param kind the kind
     * @param name the plugin name, in any letter case
     * @return the descriptor, or empty when none has that name
     */
    public Optional<PluginDescriptor> find(PluginKind kind, String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byKind.get(kind).get(name.trim().toLowerCase(Locale.ROOT)));
    }

    /**
     * Returns the descriptor of a plugin.
     *
     * @param kind the kind
     * @param name the plugin name, in any letter case
     * @return the descriptor
     * @throws IllegalArgumentException when no plugin of that kind has that name. The message
     *     lists the known names.
     */
    public PluginDescriptor descriptor(PluginKind kind, String name) {
        return find(kind, name).orElseThrow(() -> new IllegalArgumentException(
                "Unknown " + kind.label() + " '" + name + "'. Known " + kind.label() + " plugins: "
                        + knownNames(kind)));
    }

    /**
     * Returns a plugin instance.
     *
     * @param kind the kind
     * @param name the plugin name, in any letter case
     * @return the plugin
     * @throws IllegalArgumentException when no plugin of that kind has that name
     */
    public Plugin get(PluginKind kind, String name) {
        return descriptor(kind, name).instance();
    }

    /** Returns the reward loss with this name, see {@link #get}. */
    public RewardLoss rewardLoss(String name) {
        return descriptor(PluginKind.REWARD_LOSS, name).instance(RewardLoss.class);
    }

    /** Returns the regression loss with this name, see {@link #get}. */
    public RegressionLoss regressionLoss(String name) {
        return descriptor(PluginKind.REGRESSION_LOSS, name).instance(RegressionLoss.class);
    }

    /** Returns the policy optimizer with this name, see {@link #get}. */
    public PolicyOptimizer policyOptimizer(String name) {
        return descriptor(PluginKind.POLICY_OPTIMIZER, name).instance(PolicyOptimizer.class);
    }

    /** Returns the data source with this name, see {@link #get}. */
    public DataSource<?> dataSource(String name) {
        return descriptor(PluginKind.DATA_SOURCE, name).instance(DataSource.class);
    }

    /** Returns the device backend with this name, see {@link #get}. */
    public DeviceBackend deviceBackend(String name) {
        return descriptor(PluginKind.DEVICE_BACKEND, name).instance(DeviceBackend.class);
    }

    /** Returns every plugin, sorted by kind (in {@link PluginKind} order) and then by name. */
    public List<PluginDescriptor> list() {
        List<PluginDescriptor> all = new ArrayList<>();
        byKind.values().forEach(plugins -> all.addAll(plugins.values()));
        return List.copyOf(all);
    }

    /** Returns the plugins of one kind, sorted by name. */
    public List<PluginDescriptor> list(PluginKind kind) {
        return List.copyOf(byKind.get(kind).values());
    }

    /** Returns the names of the plugins of one kind, sorted. */
    public List<String> names(PluginKind kind) {
        return List.copyOf(byKind.get(kind).keySet());
    }

    /**
     * Returns the plugins of one kind by name, in name order.
     *
     * @param kind the kind
     * @param type the service interface of {@code kind}
     * @param <T> the service type
     * @return an unmodifiable map from name to plugin
     */
    public <T extends Plugin> Map<String, T> plugins(PluginKind kind, Class<T> type) {
        Map<String, T> plugins = new TreeMap<>();
        byKind.get(kind).forEach((name, descriptor) -> plugins.put(name, descriptor.instance(type)));
        return Collections.unmodifiableMap(plugins);
    }

    /**
     * Returns the data sources by name, in name order. It differs from {@link #plugins} only in
     * its generic type, {@code DataSource<?>}.
     *
     * @return an unmodifiable map from name to data source
     */
    public Map<String, DataSource<?>> dataSources() {
        Map<String, DataSource<?>> sources = new TreeMap<>();
        byKind.get(PluginKind.DATA_SOURCE).forEach(
                (name, descriptor) -> sources.put(name, (DataSource<?>) descriptor.instance()));
        return Collections.unmodifiableMap(sources);
    }

    /** Returns the plugins and jars that discovery rejected, in the order found. */
    public List<PluginProblem> problems() {
        return problems;
    }

    private String knownNames(PluginKind kind) {
        List<String> names = names(kind);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static PluginException duplicate(PluginDescriptor first, PluginDescriptor second) {
        return new PluginException("Two " + first.kind().label() + " plugins are named '" + first.name() + "': "
                + first.source() + " and " + second.source()
                + ". Plugin names must be unique within a kind; remove one of the two jars.");
    }
}
