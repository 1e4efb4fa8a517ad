package org.rlhf4j.api;

/**
 * A named extension found through {@link java.util.ServiceLoader}.
 *
 * <p>Implementations need a public no-argument constructor (or a public static {@code provider()}
 * method on the module path). The {@link #name()} is the stable identifier that users type on the
 * command line and in pipeline code, so it must never change between releases.
 */
public interface Plugin {

    /** Pattern every plugin name must match: lowercase letters, digits and inner hyphens. */
    String NAME_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*";

    /**
     * Returns the stable lowercase name of this plugin, for example {@code "scaled-bt"}.
     *
     * @return a name matching {@link #NAME_PATTERN}
     */
    String name();

    /**
     * Returns one sentence that tells a user what the plugin does.
     *
     * @return a short human-readable description
     */
    default String description() {
        return "";
    }

    /**
     * Returns the SPI version this plugin was built against. The registry rejects a plugin whose
     * major version differs from {@link SpiVersion#CURRENT}.
     *
     * @return the SPI version; built-in plugins return {@link SpiVersion#CURRENT}
     */
    default SpiVersion spiVersion() {
        return SpiVersion.CURRENT;
    }
}
