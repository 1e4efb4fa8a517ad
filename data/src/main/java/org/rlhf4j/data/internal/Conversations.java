package org.rlhf4j.data.internal;

import java.util.ArrayList;
import java.util.List;
import org.rlhf4j.api.data.Turn;

/** Splits prompts with embedded role markers into turns. */
public final class Conversations {

    /** HelpSteer2 marker that starts an assistant turn inside a prompt. */
    public static final String EXTRA_ID_ASSISTANT = "\n<extra_id_1>Assistant\n";

    /** HelpSteer2 marker that starts a user turn inside a prompt. */
    public static final String EXTRA_ID_USER = "\n<extra_id_1>User\n";

    /** HH-RLHF marker that starts a user turn. */
    public static final String HUMAN = "\n\nHuman:";

    /** HH-RLHF marker that starts an assistant turn. */
    public static final String ASSISTANT = "\n\nAssistant:";

    private static final String EXTRA_ID_PREFIX = "\n<extra_id_1>";
    private static final String HH_PREFIX = "\n\n";

    private Conversations() {
    }

    /**
     * Splits a HelpSteer2 prompt into turns. The text before the first marker is a user turn; each
     * {@value #EXTRA_ID_ASSISTANT} or {@value #EXTRA_ID_USER} marker starts a turn of that role. A
     * prompt without markers is one user turn.
     *
     * @param prompt the prompt text
     * @param field the field name for errors
     * @return the turns, ending with a user turn
     * @throws RecordProblem when the last turn is an assistant turn
     */
    public static List<Turn> parseExtraIdPrompt(String prompt, String field) {
        List<Turn> turns = new ArrayList<>();
        Turn.Role role = Turn.Role.USER;
        int textStart = 0;
        int search = 0;
        while (true) {
            int marker = prompt.indexOf(EXTRA_ID_PREFIX, search);
            if (marker < 0) {
                break;
            }
            Turn.Role next = extraIdRole(prompt, marker);
            if (next == null) {
                search = marker + 1;
                continue;
            }
            turns.add(new Turn(role, prompt.substring(textStart, marker)));
            role = next;
            textStart = marker + (next == Turn.Role.USER ? EXTRA_ID_USER : EXTRA_ID_ASSISTANT).length();
            search = textStart;
        }
        turns.add(new Turn(role, prompt.substring(textStart)));
        requireUserLast(turns, field, "\"\\n<extra_id_1>User\\n\"");
        return turns;
    }

    /**
     * Splits an HH-RLHF dialogue into turns at {@value #HUMAN} and {@value #ASSISTANT} markers. One
     * space after a marker belongs to the marker and is removed.
     *
     * @param dialogue the dialogue up to (not including) the final assistant marker
     * @param field the field name for errors
     * @return the turns, ending with a user turn
     * @throws RecordProblem when text precedes the first marker, there is no turn, or the last
     *     turn is an assistant turn
     */
    public static List<Turn> parseHumanAssistantDialogue(String dialogue, String field) {
        List<Turn> turns = new ArrayList<>();
        int first = nextHhMarker(dialogue, 0);
        if (first < 0 ? !dialogue.isEmpty() : first > 0) {
            throw new RecordProblem(field, "expected the dialogue to start with \"\\n\\nHuman:\", "
                    + "found text before the first turn marker");
        }
        int marker = first;
        while (marker >= 0) {
            Turn.Role role = hhRole(dialogue, marker);
            int textStart = marker + (role == Turn.Role.USER ? HUMAN : ASSISTANT).length();
            int nextMarker = nextHhMarker(dialogue, textStart);
            String text = dialogue.substring(textStart, nextMarker < 0 ? dialogue.length() : nextMarker);
            turns.add(new Turn(role, stripMarkerSpace(text)));
            marker = nextMarker;
        }
        if (turns.isEmpty()) {
            throw new RecordProblem(field, "expected at least one \"\\n\\nHuman:\" turn before the final "
                    + "\"\\n\\nAssistant:\" reply");
        }
        requireUserLast(turns, field, "\"\\n\\nHuman:\"");
        return turns;
    }

    /** Removes the one space that follows an HH-RLHF role marker. */
    public static String stripMarkerSpace(String text) {
        return text.startsWith(" ") ? text.substring(1) : text;
    }

    private static Turn.Role extraIdRole(String prompt, int marker) {
        if (prompt.startsWith(EXTRA_ID_USER, marker)) {
            return Turn.Role.USER;
        }
        if (prompt.startsWith(EXTRA_ID_ASSISTANT, marker)) {
            return Turn.Role.ASSISTANT;
        }
        return null;
    }

    private static int nextHhMarker(String dialogue, int from) {
        int index = dialogue.indexOf(HH_PREFIX, from);
        while (index >= 0 && hhRole(dialogue, index) == null) {
            index = dialogue.indexOf(HH_PREFIX, index + 1);
        }
        return index;
    }

    private static Turn.Role hhRole(String dialogue, int index) {
        if (dialogue.startsWith(HUMAN, index)) {
            return Turn.Role.USER;
        }
        if (dialogue.startsWith(ASSISTANT, index)) {
            return Turn.Role.ASSISTANT;
        }
        return null;
    }

    private static void requireUserLast(List<Turn> turns, String field, String userMarker) {
        if (turns.get(turns.size() - 1).role() != Turn.Role.USER) {
            throw new RecordProblem(field, "expected the conversation to end with a user turn (after "
                    + userMarker + "), but it ends with an assistant turn");
        }
    }
}
