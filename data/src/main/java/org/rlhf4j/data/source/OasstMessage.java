package org.rlhf4j.data.source;

import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.Turn;

/**
 * One message of an OpenAssistant message tree, with the fields the oasst2 sources read.
 *
 * @param id the {@code message_id}
 * @param role the author, {@link Turn.Role#USER} for {@code "prompter"} and
 *     {@link Turn.Role#ASSISTANT} for {@code "assistant"}
 * @param text the message text
 * @param lang the language code, or null when the message has none
 * @param deleted whether the message is marked deleted
 * @param labels the human ratings by label name, in source order; empty for prompter messages,
 *     whose labels the sources never read
 * @param rank the 0-based rank among its siblings (0 is best), or null when unranked
 * @param replies the direct replies, in source order
 * @param path where the message sits in the line, such as {@code prompt.replies[1]}, for errors
 */
record OasstMessage(
        String id,
        Turn.Role role,
        String text,
        String lang,
        boolean deleted,
        Map<String, Label> labels,
        Integer rank,
        List<OasstMessage> replies,
        String path) {

    /**
     * One human label: the mean of {@code count} ratings.
     *
     * @param value the mean rating, in [0, 1]
     * @param count the number of raters
     */
    record Label(double value, long count) {}

    /** Tells whether this message is an assistant reply. */
    boolean isAssistant() {
        return role == Turn.Role.ASSISTANT;
    }

    /** Tells whether the message's language is {@code language}, ignoring case; true when {@code language} is null. */
    boolean hasLanguage(String language) {
        return language == null || (lang != null && lang.equalsIgnoreCase(language));
    }

    /** Returns this message as a conversation turn. */
    Turn toTurn() {
        return new Turn(role, text);
    }
}
