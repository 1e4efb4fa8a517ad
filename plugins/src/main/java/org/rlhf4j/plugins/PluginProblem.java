package org.rlhf4j.plugins;

import java.util.Objects;

/**
 * A plugin or plugin jar that discovery rejected, with the reason and the fix.
 *
 * @param subject the rejected jar path or provider class name
 * @param message what is wrong and what to do about it
 */
public record PluginProblem(String subject, String message) {

    public PluginProblem {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return message;
    }
}
