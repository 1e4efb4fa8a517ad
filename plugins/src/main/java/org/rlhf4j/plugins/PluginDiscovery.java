package org.rlhf4j.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.plugins.PluginDescriptor.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins and builds a {@link PluginRegistry}.
 *
 * <p>Plugins are looked for in this order:
 * <ol>
 *   <li>named modules of the application's module layer (the module path), through
 *       {@code ServiceLoader.load(layer, type)};
 *   <li>the class loader (the class path), through {@code ServiceLoader.load(type, loader)}. A
 *       provider class already found on the module path counts once.
 *   <li>each jar of the plugin folder, resolved into its own child module layer;
 *   <li>instances added with {@link Builder#addPlugin}.
 * </ol>
 *
 * <p>A plugin with an invalid name or an incompatible SPI version, a provider that cannot be
 * created and a folder jar that cannot be resolved are rejected: they are logged, listed in
 * {@link PluginRegistry#problems()}, and discovery goes on. Two plugins of one kind with the same
 * name make {@link #discover()} throw {@link PluginException}.
 */
public final class PluginDiscovery {

    private static final Logger logger = LoggerFactory.getLogger(PluginDiscovery.class);

    private final Path pluginFolder;
    private final ClassLoader classLoader;
    private final boolean scanModulePath;
    private final boolean scanClassPath;
    private final List<Plugin> added;

    private PluginDiscovery(Builder builder) {
        this.pluginFolder = builder.pluginFolder;
        this.classLoader = builder.classLoader != null ? builder.classLoader : defaultClassLoader();
        this.scanModulePath = builder.scanModulePath;
        this.scanClassPath = builder.scanClassPath;
        this.added = List.copyOf(builder.added);
    }

    /** Creates a builder that scans the module path and the class path, with no plugin folder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Finds the plugins on the module path and the class path.
     *
     * @return the registry
     * @throws PluginException when two plugins of one kind have the same name
     */
    public static PluginRegistry discoverDefault() {
        return builder().build().discover();
    }

    /**
     * Runs discovery. Each call creates new plugin instances, and it loads the jars of the plugin
     * folder into new module layers.
     *
     * @return a registry with every accepted plugin and the list of rejections
     * @throws PluginException when two plugins of one kind have the same name
     * @throws IllegalArgumentException when the plugin folder does not exist or is not a directory
     */
    public PluginRegistry discover() {
        DiscoveryRun run = new DiscoveryRun();
        ModuleLayer layer = applicationLayer();
        if (scanModulePath) {
            scanLayer(run, layer);
        }
        if (scanClassPath) {
            scanClassLoader(run);
        }
        if (pluginFolder != null) {
            new PluginFolder(pluginFolder, layer, classLoader).load(run);
        }
        for (Plugin plugin : added) {
            for (PluginKind kind : kindsOf(plugin)) {
                run.offer(plugin, kind, Origin.ADDED_IN_CODE);
            }
        }
        run.problems().forEach(problem -> logger.warn("{}", problem.message()));
        PluginRegistry registry = PluginRegistry.of(run.accepted(), run.problems());
        registry.list().forEach(plugin -> logger.debug("Found {}", plugin));
        return registry;
    }

    private static void scanLayer(DiscoveryRun run, ModuleLayer layer) {
        for (PluginKind kind : PluginKind.values()) {
            ServiceLoader<? extends Plugin> loader = ServiceLoader.load(layer, kind.type());
            run.offerAll(loader, kind, Origin.MODULE_PATH, "module path", type -> true);
        }
    }

    private void scanClassLoader(DiscoveryRun run) {
        for (PluginKind kind : PluginKind.values()) {
            ServiceLoader<? extends Plugin> loader = ServiceLoader.load(kind.type(), classLoader);
            run.offerAll(loader, kind, Origin.CLASS_PATH, "class path", type -> true);
        }
    }

    /**
     * Returns the module layer of this module, or the boot layer when this module is on the class
     * path. Plugin folders extend this layer, so they also work for an application in a child layer.
     */
    private static ModuleLayer applicationLayer() {
        ModuleLayer layer = PluginDiscovery.class.getModule().getLayer();
        return layer != null ? layer : ModuleLayer.boot();
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : PluginDiscovery.class.getClassLoader();
    }

    private static List<PluginKind> kindsOf(Plugin plugin) {
        List<PluginKind> kinds = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            if (kind.type().isInstance(plugin)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    /** Builder of {@link PluginDiscovery}. */
    public static final class Builder {

        private Path pluginFolder;
        private ClassLoader classLoader;
        private boolean scanModulePath = true;
        private boolean scanClassPath = true;
        private final List<Plugin> added = new ArrayList<>();

        private Builder() {}

        /**
         * Sets a folder whose jars are loaded as plugins. Default: none.
         *
         * @param folder the folder, or null for none
         * @return this builder
         */
        public Builder optPluginFolder(Path folder) {
            this.pluginFolder = folder;
            return this;
        }

        /**
         * Sets the class loader searched for class-path plugins and used as parent of the plugin
         * folder's loaders. Default: the thread's context class loader.
         *
         * @param loader the class loader
         * @return this builder
         */
        public Builder optClassLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * Sets whether named modules of the application's layer are searched. Default: true.
         *
         * @param scan false to skip the module path
         * @return this builder
         */
        public Builder optScanModulePath(boolean scan) {
            this.scanModulePath = scan;
            return this;
        }

        /**
         * Sets whether the class loader is searched. Default: true.
         *
         * @param scan false to skip the class path
         * @return this builder
         */
        public Builder optScanClassPath(boolean scan) {
            this.scanClassPath = scan;
            return this;
        }

        /**
         * Adds a plugin instance, registered under every kind it implements after the same checks
         * as discovered plugins.
         *
         * @param plugin the plugin
         * @return this builder
         * @throws IllegalArgumentException when the plugin implements none of the service interfaces
         */
        public Builder addPlugin(Plugin plugin) {
            Objects.requireNonNull(plugin, "plugin");
            if (kindsOf(plugin).isEmpty()) {
                throw new IllegalArgumentException("Plugin " + plugin.getClass().getName()
                        + " implements none of the plugin interfaces " + List.of(PluginKind.values()));
            }
            added.add(plugin);
            return this;
        }

        /** Builds the discovery. */
        public PluginDiscovery build() {
            return new PluginDiscovery(this);
        }
    }
}
