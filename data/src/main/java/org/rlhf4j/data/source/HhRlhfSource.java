package org.rlhf4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.internal.Conversations;
import org.rlhf4j.data.internal.JsonLinesReader;
import org.rlhf4j.data.internal.JsonRecord;
import org.rlhf4j.data.internal.Outcome;
import org.rlhf4j.data.internal.RecordProblem;

/**
 * Reads Anthropic HH-RLHF rows as preference pairs. Plugin name {@value #NAME}.
 *
 * <p>Each row is {@code {"chosen": ..., "rejected": ...}}, where both fields hold a whole dialogue
 * of {@code "\n\nHuman: "} and {@code "\n\nAssistant: "} turns, and the two dialogues differ only
 * in the final assistant turn. The text before the last {@code "\n\nAssistant:"} must be the same in
 * both fields; it becomes the prompt, which must end with a user turn. The two final assistant
 * replies become the chosen and rejected responses. One space after each marker is removed. A row
 * that breaks these rules is malformed. The record id is the 1-based line number and the magnitude
 * is 1.
 */
public final class HhRlhfSource implements DataSource<PreferencePair> {

    /** The plugin name. */
    public static final String NAME = "hh-rlhf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads Anthropic HH-RLHF chosen/rejected dialogues, split into the shared prompt and two replies.";
    }

    @Override
    public RecordKind kind() {
        return RecordKind.PREFERENCE_PAIRS;
    }

    @Override
    public RecordReader<PreferencePair> open(Path file, ReadOptions options) throws IOException {
        return JsonLinesReader.open(file, options, HhRlhfSource::map);
    }

    private static Outcome<PreferencePair> map(JsonRecord record, long line) {
        String chosen = record.requireString("chosen");
        String rejected = record.requireString("rejected");
        int chosenReply = lastAssistantMarker(chosen, "chosen");
        int rejectedReply = lastAssistantMarker(rejected, "rejected");
        requireSamePrefix(chosen, chosenReply, rejected, rejectedReply);
        List<Turn> prompt = Conversations.parseHumanAssistantDialogue(chosen.substring(0, chosenReply), "chosen");
        return Outcome.keep(new PreferencePair(Long.toString(line), prompt,
                finalReply(chosen, chosenReply), finalReply(rejected, rejectedReply), 1.0, null));
    }

    private static int lastAssistantMarker(String dialogue, String field) {
        int index = dialogue.lastIndexOf(Conversations.ASSISTANT);
        if (index < 0) {
            throw new RecordProblem(field, "expected a dialogue that ends with a \"\\n\\nAssistant:\" turn, "
                    + "found no such marker");
        }
        return index;
    }

    private static void requireSamePrefix(String chosen, int chosenReply, String rejected, int rejectedReply) {
        int length = Math.min(chosenReply, rejectedReply);
        int differ = 0;
        while (differ < length && chosen.charAt(differ) == rejected.charAt(differ)) {
            differ++;
        }
        if (differ < length || chosenReply != rejectedReply) {
            throw new RecordProblem("rejected", "expected the same conversation as field 'chosen' before the last "
                    + "\"\\n\\nAssistant:\" turn, but the two differ from character " + (differ + 1));
        }
    }

    private static String finalReply(String dialogue, int marker) {
        return Conversations.stripMarkerSpace(dialogue.substring(marker + Conversations.ASSISTANT.length()));
    }
}
