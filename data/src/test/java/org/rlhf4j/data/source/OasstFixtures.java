package org.rlhf4j.data.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds oasst2 message-tree lines for tests. Every message gets the upstream fields the sources
 * read plus a model-made {@code CRITERIA} object, as in the real export.
 */
final class OasstFixtures {

    /** Path of the real oasst2 trees file, relative to a directory above the working directory. */
    static final String REAL_FILE = "shared/data/oasst2_open_paws_trees/oasst2_filtered.jsonl.gz";

    private OasstFixtures() {
    }

    /** Returns a tree line whose root is {@code root}. */
    static String tree(String treeId, String root) {
        return "{\"message_tree_id\": \"" + treeId + "\", \"tree_state\": \"ready_for_export\", \"prompt\": " + root
                + ", \"origin\": null}";
    }

    /** Returns a prompter message. */
    static String prompter(String id, String text, String... replies) {
        return message(id, "prompter", text, "en", false, null, "{}", replies);
    }

    /** Returns an English assistant reply with labels written as JSON. */
    static String assistant(String id, String text, Integer rank, String labels, String... replies) {
        return message(id, "assistant", text, "en", false, rank, labels, replies);
    }

    /** Returns a message with every field given. */
    static String message(String id, String role, String text, String lang, boolean deleted, Integer rank,
            String labels, String... replies) {
        List<String> fields = new ArrayList<>();
        fields.add("\"message_id\": \"" + id + "\"");
        fields.add("\"parent_id\": null");
        fields.add("\"text\": \"" + text + "\"");
        fields.add("\"role\": \"" + role + "\"");
        fields.add("\"lang\": \"" + lang + "\"");
        fields.add("\"review_count\": 3");
        fields.add("\"review_result\": true");
        fields.add("\"deleted\": " + deleted);
        fields.add("\"rank\": " + rank);
        fields.add("\"synthetic\": false");
        fields.add("\"emojis\": {\"+1\": 2}");
        fields.add("\"replies\": [" + String.join(", ", replies) + "]");
        fields.add("\"labels\": " + labels);
        fields.add("\"detoxify\": {\"toxicity\": 0.9}");
        fields.add("\"CRITERIA\": {\"quality\": 0.123, \"Relevance\": 0.9, \"Insight\": 0.8, "
                + "\"CRITERIA_final_score\": 0.7}");
        return "{" + String.join(", ", fields) + "}";
    }

    /** Returns a labels object with one {@code {value, count}} entry per name and value pair. */
    static String labels(Object... nameValueCount) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < nameValueCount.length; i += 3) {
            entries.add(String.format(Locale.ROOT, "\"%s\": {\"value\": %s, \"count\": %s}", nameValueCount[i],
                    nameValueCount[i + 1], nameValueCount[i + 2]));
        }
        return "{" + String.join(", ", entries) + "}";
    }
}
