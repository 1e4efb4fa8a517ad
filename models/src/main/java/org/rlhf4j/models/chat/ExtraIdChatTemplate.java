package org.rlhf4j.models.chat;

import java.util.List;
import java.util.Objects;
import org.rlhf4j.api.data.Turn;

/**
 * Renders conversations in the NeMo "extra_id" format that NeMo-Aligner's
 * {@code process_to_regression_format.py} writes for reward-model training:
 *
 * <pre>
 * &lt;extra_id_0&gt;System
 * {system prompt}
 * &lt;extra_id_1&gt;User
 * {user text}
 * &lt;extra_id_1&gt;Assistant
 * {response}
 * &lt;extra_id_2&gt;</pre>
 *
 * <p>Earlier assistant turns of a multi-turn prompt get their own {@code <extra_id_1>Assistant}
 * block. A leading system turn in the prompt replaces the template's system prompt; later system
 * turns are not allowed. The reward is read at the last token, which is the final
 * {@code <extra_id_2>} followed by the EOS that the tokenizer adds.
 */
public final class ExtraIdChatTemplate implements ChatTemplate {

    /** The name of this template. */
    public static final String NAME = "extra-id";

    /** System prompt used by NeMo-Aligner's regression format when none is given. */
    public static final String DEFAULT_SYSTEM_PROMPT =
            "A chat between a curious user and an artificial intelligence assistant. The assistant "
                    + "gives helpful, detailed, and polite answers to the user's questions.";

    private final String systemPrompt;

    /** Creates a template with {@link #DEFAULT_SYSTEM_PROMPT}. */
    public ExtraIdChatTemplate() {
        this(DEFAULT_SYSTEM_PROMPT);
    }

    /**
     * Creates a template with another system prompt.
     *
     * @param systemPrompt the text of the system block; may be empty but not null
     */
    public ExtraIdChatTemplate(String systemPrompt) {
        this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String promptPrefix(List<Turn> prompt) {
        Templates.requireTurns(prompt);
        String system = systemPrompt;
        List<Turn> turns = prompt;
        if (prompt.get(0).role() == Turn.Role.SYSTEM) {
            system = prompt.get(0).text();
            turns = prompt.subList(1, prompt.size());
        }
        StringBuilder text = new StringBuilder("<extra_id_0>System\n").append(system).append('\n');
        for (Turn turn : turns) {
            text.append("<extra_id_1>").append(label(turn.role())).append('\n').append(turn.text()).append('\n');
        }
        return text.append("<extra_id_1>Assistant\n").toString();
    }

    @Override
    public String responseSuffix() {
        return "\n<extra_id_2>";
    }

    private static String label(Turn.Role role) {
        return switch (role) {
            case USER -> "User";
            case ASSISTANT -> "Assistant";
            case SYSTEM -> throw new IllegalArgumentException(
                    "A system turn is allowed only as the first turn of the prompt, found one later");
        };
    }
}
