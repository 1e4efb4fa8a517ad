package org.rlhf4j.data.internal;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds JSON values from Gson's streaming {@link JsonReader} in strict mode, rejecting what Gson's
 * own tree model accepts silently: duplicate keys and strings with unpaired UTF-16 surrogates.
 *
 * <p>Values are {@link String}, {@link JsonNumber}, {@link Boolean}, {@link JsonNull},
 * {@link List} and {@link Map} (in source order).
 */
public final class StrictJson {

    private static final Pattern LOCATION = Pattern.compile("(.*) at line (\\d+) column (\\d+) path (.*)");
    private static final String GSON_STRICT_HINT = "Use JsonReader.setStrictness";

    private StrictJson() {
    }

    /** Creates a reader over {@code source} in strict mode. */
    public static JsonReader strictReader(java.io.Reader source) {
        JsonReader reader = new JsonReader(source);
        reader.setStrictness(Strictness.STRICT);
        return reader;
    }

    /**
     * Parses one line that must hold exactly one JSON object.
     *
     * @param line the line, without its line break
     * @return the object
     * @throws RecordProblem when the line is not valid JSON, is not an object, or has a duplicate
     *     key or an unpaired surrogate
     */
    public static JsonRecord parseObjectLine(String line) {
        JsonReader reader = strictReader(new StringReader(line));
        try {
            JsonToken first = reader.peek();
            if (first != JsonToken.BEGIN_OBJECT) {
                throw new RecordProblem(null, "expected a JSON object, got " + describe(first));
            }
            JsonRecord record = readRecord(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new RecordProblem(null, "expected nothing after the JSON object");
            }
            return record;
        } catch (IOException e) {
            throw new RecordProblem(null, syntaxMessage(e, false) + "; expected one JSON object per line");
        }
    }

    /**
     * Reads the object at the reader's position. The whole object is consumed even when it has a
     * duplicate key or a bad string, so the reader stays usable for the next value.
     *
     * @throws RecordProblem after consuming the object, for the first duplicate key or bad string
     * @throws IOException for a syntax error, after which the reader cannot continue
     */
    public static JsonRecord readRecord(JsonReader reader) throws IOException {
        ProblemSink sink = new ProblemSink();
        Map<String, Object> fields = readObject(reader, null, sink);
        if (sink.first != null) {
            throw sink.first;
        }
        return new JsonRecord(fields);
    }

    /**
     * Rewrites a Gson syntax error as "invalid JSON at [line L ]column C: reason".
     *
     * @param error the exception thrown by {@link JsonReader}
     * @param withLine whether Gson's line number is meaningful (false for a reader over one line)
     */
    public static String syntaxMessage(IOException error, boolean withLine) {
        String message = String.valueOf(error.getMessage()).lines().findFirst().orElse("");
        Matcher matcher = LOCATION.matcher(message);
        if (!matcher.matches()) {
            return "invalid JSON: " + message;
        }
        String reason = matcher.group(1);
        if (reason.startsWith(GSON_STRICT_HINT)) {
            reason = "syntax that strict JSON does not allow";
        }
        String where = (withLine ? "line " + matcher.group(2) + " " : "") + "column " + matcher.group(3);
        return "invalid JSON at " + where + ": " + reason;
    }

    /** Describes the kind of value a token starts, for error messages. */
    static String describe(JsonToken token) {
        switch (token) {
            case BEGIN_ARRAY:
                return "an array";
            case BEGIN_OBJECT:
                return "an object";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return "no value";
        }
    }

    private static Object readValue(JsonReader reader, String field, ProblemSink sink) throws IOException {
        switch (reader.peek()) {
            case BEGIN_OBJECT:
                return readObject(reader, field, sink);
            case BEGIN_ARRAY:
                return readArray(reader, field, sink);
            case STRING:
                String text = reader.nextString();
                sink.checkText(text, field);
                return text;
            case NUMBER:
                return new JsonNumber(reader.nextString());
            case BOOLEAN:
                return reader.nextBoolean();
            case NULL:
                reader.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new IllegalStateException("unexpected token " + reader.peek() + " at " + reader);
        }
    }

    private static Map<String, Object> readObject(JsonReader reader, String field, ProblemSink sink)
            throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            String topField = field == null ? name : field;
            sink.checkText(name, topField);
            if (fields.containsKey(name)) {
                String where = field == null ? "" : " inside field '" + field + "'";
                sink.report(new RecordProblem(topField,
                        "duplicate key '" + name + "'" + where + "; expected each key at most once per object"));
            }
            fields.put(name, readValue(reader, topField, sink));
        }
        reader.endObject();
        return fields;
    }

    private static List<Object> readArray(JsonReader reader, String field, ProblemSink sink) throws IOException {
        List<Object> values = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            values.add(readValue(reader, field, sink));
        }
        reader.endArray();
        return values;
    }

    /** Keeps the first problem found while the rest of the value is still consumed. */
    private static final class ProblemSink {
        private RecordProblem first;

        void report(RecordProblem problem) {
            if (first == null) {
                first = problem;
            }
        }

        void checkText(String text, String field) {
            int index = Texts.unpairedSurrogateIndex(text);
            if (index >= 0) {
                report(new RecordProblem(field, String.format(
                        "string has an unpaired UTF-16 surrogate U+%04X at character %d; expected valid Unicode text",
                        (int) text.charAt(index), index + 1)));
            }
        }
    }
}
