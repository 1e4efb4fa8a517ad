package org.rlhf4j.api;

/**
 * Version of the service interfaces in this module. A change of {@code major} breaks plugins built
 * against an older version; a change of {@code minor} only adds methods with defaults.
 *
 * @param major incompatible-change counter
 * @param minor compatible-addition counter
 */
public record SpiVersion(int major, int minor) {

    /** The SPI version that this build of rlhf4j implements. */
    public static final SpiVersion CURRENT = new SpiVersion(1, 0);

    /**
     * Tells whether a plugin built against this version can run on {@code runtime}.
     *
     * @param runtime the version of the SPI that is loaded
     * @return true when the major versions are equal and this minor is not newer
     */
    public boolean isCompatibleWith(SpiVersion runtime) {
        return major == runtime.major && minor <= runtime.minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
