package org.rlhf4j.data.source;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.internal.JsonNull;
import org.rlhf4j.data.internal.JsonNumber;
import org.rlhf4j.data.internal.JsonRecord;
import org.rlhf4j.data.internal.RecordProblem;

/**
 * Parses one line of an OpenAssistant {@code *.trees.jsonl} export into {@link OasstMessage}s and
 * walks the tree.
 *
 * <p>Every message of the line is checked before any record is made, so a bad value anywhere in a
 * tree makes the whole line malformed. Errors name the field by its path in the line, such as
 * {@code prompt.replies[0].labels.quality.value}. The {@code CRITERIA} objects and every other
 * field not listed in {@link #parse} are never read.
 */
final class OasstTrees {

    /** Field of the line that contains the root message. */
    static final String ROOT_FIELD = "prompt";

    private static final String PROMPTER = "prompter";
    private static final String ASSISTANT = "assistant";

    private OasstTrees() {
    }

    /** Receives each message of a tree with the messages above it. */
    @FunctionalInterface
    interface Visitor {

        /**
         * Visits one message.
         *
         * @param message the message
         * @param ancestors the messages from the root down to the parent, empty for the root
         * @param deletedOnPath whether the message or one of its ancestors is deleted
         */
        void visit(OasstMessage message, List<OasstMessage> ancestors, boolean deletedOnPath);
    }

    /**
     * Parses the root message and all its replies. Per message: {@code message_id}, {@code role}
     * ({@code "prompter"} or {@code "assistant"}) and {@code text} are required strings;
     * {@code lang} is an optional string; {@code deleted} an optional boolean (false when absent);
     * {@code rank} an optional integer literal of at least 0; {@code replies} an optional array of
     * messages. On assistant messages {@code labels} is an optional object whose entries are
     * objects with a number {@code value} in [0, 1] and an integer literal {@code count} of at least
     * 0. The root must be a prompter message, and every assistant message must reply to a prompter
     * message.
     *
     * @param record the parsed line
     * @return the root message
     * @throws RecordProblem naming the path of the first bad field
     */
    static OasstMessage parse(JsonRecord record) {
        Map<String, Object> root = object(record.fields(), ROOT_FIELD, "", true);
        OasstMessage message = parseMessage(root, ROOT_FIELD);
        if (message.role() != Turn.Role.USER) {
            throw new RecordProblem(ROOT_FIELD + ".role",
                    "expected the root message to be a \"prompter\" message, got \"assistant\"");
        }
        return message;
    }

    /**
     * Visits every message depth first, each before its replies, replies in source order.
     *
     * @param root the root message
     * @param visitor receives each message
     */
    static void walk(OasstMessage root, Visitor visitor) {
        walk(root, new ArrayList<>(), false, visitor);
    }

    private static void walk(OasstMessage message, List<OasstMessage> ancestors, boolean deletedAbove,
            Visitor visitor) {
        boolean deleted = deletedAbove || message.deleted();
        visitor.visit(message, Collections.unmodifiableList(ancestors), deleted);
        ancestors.add(message);
        for (OasstMessage reply : message.replies()) {
            walk(reply, ancestors, deleted, visitor);
        }
        ancestors.remove(ancestors.size() - 1);
    }

    /** Returns the messages from the root down to a reply's parent as conversation turns. */
    static List<Turn> conversation(List<OasstMessage> ancestors) {
        List<Turn> turns = new ArrayList<>(ancestors.size());
        for (OasstMessage message : ancestors) {
            turns.add(message.toTurn());
        }
        return turns;
    }

    private static OasstMessage parseMessage(Map<String, Object> fields, String path) {
        String id = string(fields, "message_id", path);
        Turn.Role role = role(fields, path);
        String text = string(fields, "text", path);
        String lang = optionalString(fields, "lang", path);
        boolean deleted = optionalBoolean(fields, "deleted", path);
        Integer rank = optionalRank(fields, path);
        Map<String, OasstMessage.Label> labels =
                role == Turn.Role.ASSISTANT ? labels(fields, path) : Map.of();
        List<OasstMessage> replies = replies(fields, path, role);
        return new OasstMessage(id, role, text, lang, deleted, labels, rank, replies, path);
    }

    private static Turn.Role role(Map<String, Object> fields, String path) {
        String role = string(fields, "role", path);
        if (PROMPTER.equals(role)) {
            return Turn.Role.USER;
        }
        if (ASSISTANT.equals(role)) {
            return Turn.Role.ASSISTANT;
        }
        throw new RecordProblem(join(path, "role"),
                "expected \"" + PROMPTER + "\" or \"" + ASSISTANT + "\", got " + describe(role));
    }

    private static List<OasstMessage> replies(Map<String, Object> fields, String path, Turn.Role parentRole) {
        List<Object> values = optionalArray(fields, "replies", path);
        List<OasstMessage> replies = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String replyPath = join(path, "replies") + "[" + i + "]";
            Object value = values.get(i);
            if (!(value instanceof Map)) {
                throw new RecordProblem(replyPath, "expected a message object, got " + describe(value));
            }
            OasstMessage reply = parseMessage(asObject(value), replyPath);
            if (reply.isAssistant() && parentRole != Turn.Role.USER) {
                throw new RecordProblem(join(replyPath, "role"),
                        "expected an assistant message to reply to a prompter message, but its parent is an "
                                + "assistant message");
            }
            replies.add(reply);
        }
        return List.copyOf(replies);
    }

    private static Map<String, OasstMessage.Label> labels(Map<String, Object> fields, String path) {
        Map<String, Object> labels = object(fields, "labels", path, false);
        Map<String, OasstMessage.Label> result = new LinkedHashMap<>();
        String labelsPath = join(path, "labels");
        for (Map.Entry<String, Object> entry : labels.entrySet()) {
            String labelPath = join(labelsPath, entry.getKey());
            Map<String, Object> label = object(labels, entry.getKey(), labelsPath, true);
            double value = unitNumber(label, labelPath);
            long count = nonNegativeInteger(label, "count", labelPath, true);
            result.put(entry.getKey(), new OasstMessage.Label(value, count));
        }
        return Collections.unmodifiableMap(result);
    }

    private static double unitNumber(Map<String, Object> label, String labelPath) {
        String field = join(labelPath, "value");
        Object value = label.get("value");
        if (value == null) {
            throw new RecordProblem(field, "required field is missing; expected a number from 0 to 1");
        }
        if (!(value instanceof JsonNumber)) {
            throw new RecordProblem(field, "expected a number from 0 to 1, got " + describe(value));
        }
        double number = Double.parseDouble(((JsonNumber) value).literal());
        if (!(number >= 0 && number <= 1)) {
            throw new RecordProblem(field, "expected a number from 0 to 1, got " + value + " (out of range)");
        }
        return number;
    }

    private static Integer optionalRank(Map<String, Object> fields, String path) {
        if (isAbsent(fields.get("rank"))) {
            return null;
        }
        long rank = nonNegativeInteger(fields, "rank", path, false);
        if (rank > Integer.MAX_VALUE) {
            throw new RecordProblem(join(path, "rank"), "expected a rank of at most " + Integer.MAX_VALUE
                    + ", got " + rank);
        }
        return (int) rank;
    }

    private static long nonNegativeInteger(Map<String, Object> fields, String key, String path, boolean required) {
        String field = join(path, key);
        Object value = fields.get(key);
        String expected = "an integer of at least 0";
        if (value == null && required) {
            throw new RecordProblem(field, "required field is missing; expected " + expected);
        }
        if (!(value instanceof JsonNumber) || !((JsonNumber) value).isIntegerLiteral()) {
            throw new RecordProblem(field, "expected " + expected + " written as a JSON integer literal, got "
                    + describe(value));
        }
        BigInteger integer = ((JsonNumber) value).bigIntegerValue();
        if (integer.signum() < 0 || integer.bitLength() > 62) {
            throw new RecordProblem(field, "expected " + expected + ", got " + value + " (out of range)");
        }
        return integer.longValueExact();
    }

    private static String string(Map<String, Object> fields, String key, String path) {
        Object value = fields.get(key);
        if (value instanceof String) {
            return (String) value;
        }
        String field = join(path, key);
        if (value == null) {
            throw new RecordProblem(field, "required field is missing; expected a string");
        }
        throw new RecordProblem(field, "expected a string, got " + describe(value));
    }

    private static String optionalString(Map<String, Object> fields, String key, String path) {
        Object value = fields.get(key);
        if (isAbsent(value)) {
            return null;
        }
        if (value instanceof String) {
            return (String) value;
        }
        throw new RecordProblem(join(path, key), "expected a string or null, got " + describe(value));
    }

    private static boolean optionalBoolean(Map<String, Object> fields, String key, String path) {
        Object value = fields.get(key);
        if (isAbsent(value)) {
            return false;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new RecordProblem(join(path, key), "expected true, false or null, got " + describe(value));
    }

    private static List<Object> optionalArray(Map<String, Object> fields, String key, String path) {
        Object value = fields.get(key);
        if (isAbsent(value)) {
            return List.of();
        }
        if (value instanceof List) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) value;
            return list;
        }
        throw new RecordProblem(join(path, key), "expected an array or null, got " + describe(value));
    }

    /** Returns an object field; an absent or null optional field is an empty object. */
    private static Map<String, Object> object(Map<String, Object> fields, String key, String path, boolean required) {
        Object value = fields.get(key);
        String field = join(path, key);
        if (isAbsent(value)) {
            if (required) {
                throw new RecordProblem(field, "required field is missing; expected an object");
            }
            return Map.of();
        }
        if (value instanceof Map) {
            return asObject(value);
        }
        throw new RecordProblem(field, "expected an object" + (required ? "" : " or null") + ", got "
                + describe(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        return (Map<String, Object>) value;
    }

    private static boolean isAbsent(Object value) {
        return value == null || value == JsonNull.INSTANCE;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Describes a value for an error message, quoting short strings. */
    private static String describe(Object value) {
        if (value == null || value == JsonNull.INSTANCE) {
            return "null";
        }
        if (value instanceof String) {
            String text = (String) value;
            return text.length() <= 20 && text.chars().noneMatch(Character::isISOControl)
                    ? "a string \"" + text + "\""
                    : "a string";
        }
        if (value instanceof JsonNumber) {
            return "a number " + value;
        }
        if (value instanceof Boolean) {
            return "a boolean " + value;
        }
        return value instanceof List ? "an array" : "an object";
    }
}
