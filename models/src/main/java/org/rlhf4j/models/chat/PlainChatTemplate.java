package org.rlhf4j.models.chat;

import java.util.List;
import org.rlhf4j.api.data.Turn;

/**
 * Renders each turn as {@code "User: {text}\n"}, {@code "Assistant: {text}\n"} or
 * {@code "System: {text}\n"}, with the response as the final {@code "Assistant: {text}\n"} turn.
 *
 * <p>Example: the prompt {@code [user "Hi"]} and the response {@code "Hello"} render as
 * {@code "User: Hi\nAssistant: Hello\n"}.
 */
public final class PlainChatTemplate implements ChatTemplate {

    /** The name of this template. */
    public static final String NAME = "plain";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String promptPrefix(List<Turn> prompt) {
        Templates.requireTurns(prompt);
        StringBuilder text = new StringBuilder();
        for (Turn turn : prompt) {
            text.append(label(turn.role())).append(": ").append(turn.text()).append('\n');
        }
        return text.append("Assistant: ").toString();
    }

    @Override
    public String responseSuffix() {
        return "\n";
    }

    private static String label(Turn.Role role) {
        return switch (role) {
            case SYSTEM -> "System";
            case USER -> "User";
            case ASSISTANT -> "Assistant";
        };
    }
}
