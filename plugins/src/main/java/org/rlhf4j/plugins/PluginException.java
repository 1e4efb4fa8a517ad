package org.rlhf4j.plugins;

/** Discovery found plugins that cannot be used together, such as two plugins with the same name. */
public class PluginException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception whose message names the conflicting plugins and the fix.
     *
     * @param message the message
     */
    public PluginException(String message) {
        super(message);
    }
}
