package org.rlhf4j.algorithms.regression;

import java.util.List;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.chat.ChatTemplate;

/** A template that renders the reply alone, without the prompt or any role marker. */
final class ReplyOnlyTemplate implements ChatTemplate {

    @Override
    public String name() {
        return "reply-only";
    }

    @Override
    public String promptPrefix(List<Turn> prompt) {
        return "";
    }

    @Override
    public String responseSuffix() {
        return "";
    }
}
