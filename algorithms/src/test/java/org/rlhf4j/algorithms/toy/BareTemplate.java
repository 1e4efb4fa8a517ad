package org.rlhf4j.algorithms.toy;

import java.util.List;
import java.util.stream.Collectors;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.chat.ChatTemplate;

/** A template without role markers: the turn texts, a space, then the response. */
public final class BareTemplate implements ChatTemplate {

    @Override
    public String name() {
        return "bare";
    }

    @Override
    public String promptPrefix(List<Turn> prompt) {
        return prompt.stream().map(Turn::text).collect(Collectors.joining(" ")) + " ";
    }

    @Override
    public String responseSuffix() {
        return "";
    }
}
