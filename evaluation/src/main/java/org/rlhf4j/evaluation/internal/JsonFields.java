package org.rlhf4j.evaluation.internal;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The requested scalar fields of one JSON object, with typed accessors. Each accessor
 * throws {@link FieldProblem} naming the field and the expected form; none substitutes a default.
 *
 * <p>Reading rejects a duplicate key. The string accessors reject a string with an unpaired UTF-16
 * surrogate. Fields that were not requested are skipped without being checked further.
 */
public final class JsonFields {

    private static final Pattern INTEGER_LITERAL = Pattern.compile("-?(0|[1-9][0-9]*)");

    private final Map<String, Value> values;

    /** One scalar value: its token and its text (the string, the number literal or the boolean). */
    private record Value(JsonToken token, String text) {
    }

    private JsonFields(Map<String, Value> values) {
        this.values = values;
    }

    /** Creates a Gson reader over {@code source} in strict mode (no comments, NaN or unquoted names). */
    public static JsonReader strictReader(Reader source) {
        JsonReader reader = new JsonReader(source);
        reader.setStrictness(Strictness.STRICT);
        return reader;
    }

    /**
     * Reads the object at the reader's position, consuming all of it before reporting a problem.
     *
     * @param reader a reader positioned at {@code BEGIN_OBJECT}
     * @param fieldNames the names of the fields to keep
     * @return the requested fields that are present
     * @throws FieldProblem when the value is not an object, or for the first duplicate key
     * @throws IOException for a syntax error
     */
    public static JsonFields read(JsonReader reader, Set<String> fieldNames) throws IOException {
        JsonToken first = reader.peek();
        if (first != JsonToken.BEGIN_OBJECT) {
            reader.skipValue();
            throw new FieldProblem(null, "expected a JSON object, got " + describe(first));
        }
        Map<String, Value> values = new HashMap<>();
        Set<String> seen = new HashSet<>();
        FieldProblem problem = null;
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            if (!seen.add(name) && problem == null) {
                problem = new FieldProblem(name, "duplicate key; expected each key at most once per object");
            }
            if (fieldNames.contains(name)) {
                values.put(name, readScalar(reader));
            } else {
                reader.skipValue();
            }
        }
        reader.endObject();
        if (problem != null) {
            throw problem;
        }
        return new JsonFields(values);
    }

    /** Returns a field that must be present and a string. */
    public String requireString(String field) {
        Value value = present(field, "a string");
        if (value.token() != JsonToken.STRING) {
            throw wrongType(field, "a string", value);
        }
        checkUnicode(field, value.text());
        return value.text();
    }

    /** Returns a field that must be present and a string with at least one non-blank character. */
    public String requireNonBlankString(String field) {
        String text = requireString(field);
        if (text.isBlank()) {
            throw new FieldProblem(field, "expected a non-empty string, got \"" + text + "\"");
        }
        return text;
    }

    /** Returns an identifier that must be present, written as a non-empty string or a JSON integer literal. */
    public String requireId(String field) {
        Value value = present(field, "a string or an integer");
        if (value.token() == JsonToken.NUMBER && INTEGER_LITERAL.matcher(value.text()).matches()) {
            return value.text();
        }
        if (value.token() == JsonToken.STRING) {
            return requireNonBlankString(field);
        }
        throw wrongType(field, "a string or an integer", value);
    }

    /**
     * Returns a field that must be present and a JSON number whose value is a finite double. A quoted
     * number such as {@code "1.5"} is rejected.
     */
    public double requireFiniteNumber(String field) {
        Value value = present(field, "a number");
        if (value.token() != JsonToken.NUMBER) {
            throw wrongType(field, "a number", value);
        }
        double number = Double.parseDouble(value.text());
        if (!Double.isFinite(number)) {
            throw new FieldProblem(field,
                    "expected a finite number, got " + value.text() + " (outside the double range)");
        }
        return number;
    }

    /**
     * Returns a field that must be present and a JSON integer literal from {@code min} to
     * {@code max}. A number with a fraction or an exponent, such as {@code 2.0}, is rejected.
     */
    public int requireInteger(String field, int min, int max) {
        String expected = "an integer from " + min + " to " + max;
        Value value = present(field, expected);
        if (value.token() != JsonToken.NUMBER) {
            throw wrongType(field, expected, value);
        }
        if (!INTEGER_LITERAL.matcher(value.text()).matches()) {
            throw new FieldProblem(field, "expected " + expected + " written as a JSON integer literal, got "
                    + value.text());
        }
        BigInteger integer = new BigInteger(value.text());
        if (integer.compareTo(BigInteger.valueOf(min)) < 0 || integer.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new FieldProblem(field, "expected " + expected + ", got " + value.text());
        }
        return integer.intValueExact();
    }

    /** Describes the kind of value a token starts, for error messages. */
    public static String describe(JsonToken token) {
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

    private static Value readScalar(JsonReader reader) throws IOException {
        JsonToken token = reader.peek();
        switch (token) {
            case STRING:
            case NUMBER:
                return new Value(token, reader.nextString());
            case BOOLEAN:
                return new Value(token, Boolean.toString(reader.nextBoolean()));
            case NULL:
                reader.nextNull();
                return new Value(token, "null");
            default:
                reader.skipValue();
                return new Value(token, null);
        }
    }

    private Value present(String field, String expected) {
        Value value = values.get(field);
        if (value == null) {
            throw new FieldProblem(field, "required field is missing; expected " + expected);
        }
        return value;
    }

    private static FieldProblem wrongType(String field, String expected, Value value) {
        return new FieldProblem(field, "expected " + expected + ", got " + describeValue(value));
    }

    private static String describeValue(Value value) {
        switch (value.token()) {
            case STRING:
                String text = value.text();
                return text.length() <= 20 && text.chars().noneMatch(Character::isISOControl)
                        ? "a string \"" + text + "\""
                        : "a string";
            case NUMBER:
            case BOOLEAN:
                return describe(value.token()) + " " + value.text();
            default:
                return describe(value.token());
        }
    }

    private static void checkUnicode(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new FieldProblem(field, String.format(
                        "string has an unpaired UTF-16 surrogate U+%04X at character %d; expected valid Unicode text",
                        (int) c, i + 1));
            }
        }
    }
}
