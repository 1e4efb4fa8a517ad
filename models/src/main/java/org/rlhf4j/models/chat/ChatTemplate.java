package org.rlhf4j.models.chat;

import java.util.List;
import org.rlhf4j.api.data.Turn;

/**
 * Renders a conversation and a candidate response into the text that a reward model scores.
 *
 * <p>A rendering is always {@code promptPrefix(prompt) + response + responseSuffix()}, so callers
 * can tell which characters belong to the prompt and which to the response (truncation cuts the
 * prompt first). Templates write no BOS or EOS text: the tokenizer adds those with
 * {@code Tokenizer.encodeWithSpecials(text, true, true)}.
 */
public interface ChatTemplate {

    /**
     * Returns the stable lowercase name of the template, for example {@code "plain"}.
     *
     * @return the template name
     */
    String name();

    /**
     * Renders the conversation up to the point where the response text starts, including the
     * marker that opens the final assistant turn.
     *
     * @param prompt the turns before the response; must not be empty
     * @return the prompt text
     * @throws IllegalArgumentException when {@code prompt} is empty
     */
    String promptPrefix(List<Turn> prompt);

    /**
     * Returns the text written after the response, which closes the final assistant turn.
     *
     * @return the suffix, possibly empty
     */
    String responseSuffix();

    /**
     * Renders a prompt followed by a response as the final assistant turn.
     *
     * @param prompt the turns before the response; must not be empty
     * @param response the response text
     * @return the full text to tokenize
     */
    default String render(List<Turn> prompt, String response) {
        return promptPrefix(prompt) + response + responseSuffix();
    }

    /**
     * Returns the built-in template with the given name.
     *
     * @param name {@code "plain"} or {@code "extra-id"}
     * @return a new template instance
     * @throws IllegalArgumentException when no built-in template has that name
     */
    static ChatTemplate forName(String name) {
        if (PlainChatTemplate.NAME.equals(name)) {
            return new PlainChatTemplate();
        }
        if (ExtraIdChatTemplate.NAME.equals(name)) {
            return new ExtraIdChatTemplate();
        }
        throw new IllegalArgumentException("Unknown chat template '" + name + "'; expected one of "
                + List.of(PlainChatTemplate.NAME, ExtraIdChatTemplate.NAME));
    }
}
