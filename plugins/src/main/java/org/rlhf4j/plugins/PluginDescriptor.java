package org.rlhf4j.plugins;

import java.util.Objects;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.api.SpiVersion;

/**
 * A discovered plugin with the facts a user needs to tell where it came from.
 *
 * @param name the plugin name, unique within its kind
 * @param kind the service interface it was found for
 * @param description the plugin's one-sentence description, possibly empty
 * @param moduleName the name of the plugin's module, or {@code "unnamed"} on the class path
 * @param version the module version, else the jar manifest's {@code Implementation-Version}, else
 *     {@code "unknown"}
 * @param origin how it was found
 * @param location the jar or directory the plugin class was loaded from, or {@code "unknown"}
 * @param spiVersion the SPI version the plugin was built against
 * @param instance the plugin itself
 */
public record PluginDescriptor(
        String name,
        PluginKind kind,
        String description,
        String moduleName,
        String version,
        Origin origin,
        String location,
        SpiVersion spiVersion,
        Plugin instance) {

    /** Module name reported for plugins on the class path. */
    public static final String UNNAMED_MODULE = "unnamed";

    /** Version reported when neither the module nor the jar manifest has one. */
    public static final String UNKNOWN = "unknown";

    /** Discovery route that found a plugin. */
    public enum Origin {
        /** A named module of the boot layer, usually from the module path. */
        MODULE_PATH("module path"),
        /** A {@code META-INF/services} entry of a jar or directory on the class path. */
        CLASS_PATH("class path"),
        /** A jar in the plugin folder, loaded into its own module layer. */
        PLUGIN_FOLDER("plugin folder"),
        /** An instance the application added with {@link PluginDiscovery.Builder#addPlugin}. */
        ADDED_IN_CODE("added in code");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        /** Returns the words used in messages, such as {@code "plugin folder"}. */
        public String label() {
            return label;
        }
    }

    public PluginDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(moduleName, "moduleName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(spiVersion, "spiVersion");
        Objects.requireNonNull(instance, "instance");
    }

    /** Returns the fully qualified name of the plugin class. */
    public String className() {
        return instance.getClass().getName();
    }

    /**
     * Describes where the plugin came from, for messages: the class, its module and version, how it
     * was found and from which jar.
     *
     * @return for example {@code "com.example.Hinge (module com.example.extraloss 1.2, plugin folder
     *     /opt/plugins/hinge.jar)"}
     */
    public String source() {
        return className() + " (module " + moduleName + " " + version + ", " + origin.label() + " " + location + ")";
    }

    /**
     * Returns the plugin as the given type.
     *
     * @param type the expected service interface
     * @param <T> the service type
     * @return the plugin instance
     * @throws ClassCastException when the plugin does not implement {@code type}
     */
    public <T extends Plugin> T instance(Class<T> type) {
        return type.cast(instance);
    }

    @Override
    public String toString() {
        return kind.label() + " '" + name + "' from " + source();
    }
}
