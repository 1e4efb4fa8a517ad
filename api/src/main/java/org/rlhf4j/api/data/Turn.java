package org.rlhf4j.api.data;

import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who wrote the message
 * @param text the message text, without role markers
 */
public record Turn(Role role, String text) {

    /** Author of a message. */
    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT
    }

    public Turn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }

    /** Creates a user turn. */
    public static Turn user(String text) {
        return new Turn(Role.USER, text);
    }

    /** Creates an assistant turn. */
    public static Turn assistant(String text) {
        return new Turn(Role.ASSISTANT, text);
    }
}
