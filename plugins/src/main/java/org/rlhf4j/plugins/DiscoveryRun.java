package org.rlhf4j.plugins;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.api.SpiVersion;
import org.rlhf4j.plugins.PluginDescriptor.Origin;

/**
 * The mutable state of one discovery: accepted plugins, rejections, and the provider classes seen
 * so far, so that a provider found both on the module path and through the class loader counts once.
 */
final class DiscoveryRun {

    /** Stop reading one service loader after this many consecutive configuration errors. */
    private static final int MAX_LOADER_ERRORS = 100;

    private final List<PluginDescriptor> accepted = new ArrayList<>();
    private final List<PluginProblem> problems = new ArrayList<>();
    private final Map<PluginKind, Set<Class<?>>> seen = new EnumMap<>(PluginKind.class);

    /**
     * Instantiates, checks and records every provider of a service loader that passes
     * {@code accept} and has not been seen for this kind.
     *
     * @param loader the service loader of {@code kind.type()}
     * @param kind the plugin kind
     * @param origin how the providers were found
     * @param where the route or jar, used in messages about unreadable providers
     * @param accept which provider classes to take
     * @return how many new providers passed {@code accept}, accepted or rejected
     */
    int offerAll(ServiceLoader<? extends Plugin> loader, PluginKind kind, Origin origin, String where,
            Predicate<Class<?>> accept) {
        Iterator<? extends ServiceLoader.Provider<? extends Plugin>> providers = loader.stream().iterator();
        int errors = 0;
        int offered = 0;
        while (errors < MAX_LOADER_ERRORS) {
            ServiceLoader.Provider<? extends Plugin> provider;
            try {
                if (!providers.hasNext()) {
                    return offered;
                }
                provider = providers.next();
                errors = 0;
            } catch (ServiceConfigurationError e) {
                errors++;
                reject(where, "Failed to load a " + kind.label() + " provider from the " + where + ": " + e.getMessage()
                        + ". Fix the provider entry (module-info 'provides' or META-INF/services) or remove the jar.");
                continue;
            }
            if (accept.test(provider.type()) && markSeen(kind, provider.type())) {
                offered++;
                instantiate(provider, kind, origin);
            }
        }
        return offered;
    }

    /**
     * Checks and records a plugin instance.
     *
     * @param plugin the instance
     * @param kind the kind it was found for
     * @param origin how it was found
     */
    void offer(Plugin plugin, PluginKind kind, Origin origin) {
        if (markSeen(kind, plugin.getClass())) {
            check(plugin, plugin.getClass(), kind, origin);
        }
    }

    /** Records a rejected plugin or jar. */
    void reject(String subject, String message) {
        problems.add(new PluginProblem(subject, message));
    }

    List<PluginDescriptor> accepted() {
        return accepted;
    }

    List<PluginProblem> problems() {
        return problems;
    }

    private boolean markSeen(PluginKind kind, Class<?> type) {
        return seen.computeIfAbsent(kind, k -> new HashSet<>()).add(type);
    }

    private void instantiate(ServiceLoader.Provider<? extends Plugin> provider, PluginKind kind, Origin origin) {
        Class<?> type = provider.type();
        Plugin plugin;
        try {
            plugin = provider.get();
        } catch (ServiceConfigurationError | LinkageError e) {
            String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
            reject(type.getName(), "Failed to create " + kind.label() + " plugin " + describe(type, origin) + ": "
                    + e.getMessage() + cause + ". The class needs a public no-argument constructor (or a public static"
                    + " provider() method) that does not throw.");
            return;
        }
        check(plugin, type, kind, origin);
    }

    private void check(Plugin plugin, Class<?> type, PluginKind kind, Origin origin) {
        String name;
        SpiVersion spiVersion;
        String description;
        try {
            name = plugin.name();
            spiVersion = plugin.spiVersion();
            description = plugin.description();
        } catch (RuntimeException | LinkageError e) {
            reject(type.getName(), kind.label() + " plugin " + describe(type, origin)
                    + " failed when asked for its name, SPI version or description: " + e
                    + ". Rebuild the plugin against SPI " + SpiVersion.CURRENT + ".");
            return;
        }
        if (name == null || !name.matches(Plugin.NAME_PATTERN)) {
            reject(type.getName(), kind.label() + " plugin " + describe(type, origin) + " has the invalid name '"
                    + name + "'. Names must match " + Plugin.NAME_PATTERN
                    + " (lowercase letters and digits, with single hyphens inside). Rename it and rebuild the plugin.");
            return;
        }
        if (spiVersion == null || !spiVersion.isCompatibleWith(SpiVersion.CURRENT)) {
            reject(type.getName(), kind.label() + " plugin '" + name + "' " + describe(type, origin)
                    + " was built against SPI " + spiVersion + ", which this rlhf4j (SPI " + SpiVersion.CURRENT
                    + ") cannot run. Rebuild the plugin against SPI " + SpiVersion.CURRENT + ".");
            return;
        }
        accepted.add(new PluginDescriptor(name, kind, description == null ? "" : description,
                PluginSources.moduleName(type), PluginSources.version(type), origin, PluginSources.locationText(type),
                spiVersion, plugin));
    }

    private static String describe(Class<?> type, Origin origin) {
        return type.getName() + " (module " + PluginSources.moduleName(type) + ", " + origin.label() + " "
                + PluginSources.locationText(type) + ")";
    }
}
