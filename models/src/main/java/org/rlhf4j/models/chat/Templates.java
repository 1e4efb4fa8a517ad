package org.rlhf4j.models.chat;

import java.util.List;
import org.rlhf4j.api.data.Turn;

/** Argument checks shared by the templates. */
final class Templates {

    private Templates() {}

    static void requireTurns(List<Turn> prompt) {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("A prompt needs at least one turn, got " + prompt);
        }
    }
}
