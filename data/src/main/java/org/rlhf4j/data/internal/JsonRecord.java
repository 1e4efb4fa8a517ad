package org.rlhf4j.data.internal;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed JSON object with typed accessors. Each accessor throws {@link RecordProblem} naming
 * the field and the expected form; none of them substitutes a default for a bad value.
 */
public final class JsonRecord {

    private final Map<String, Object> fields;

    /** Wraps the fields of one object, in source order. */
    public JsonRecord(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /** Returns the raw fields, in source order. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** Returns the value of a field that must be present and a string. */
    public String requireString(String field) {
        Object value = present(field, "a string");
        if (value instanceof String) {
            return (String) value;
        }
        throw wrongType(field, "a string", value);
    }

    /** Returns the value of a string field that may be absent or null. */
    public Optional<String> optionalString(String field) {
        Object value = fields.get(field);
        if (value == null || value == JsonNull.INSTANCE) {
            return Optional.empty();
        }
        if (value instanceof String) {
            return Optional.of((String) value);
        }
        throw wrongType(field, "a string or null", value);
    }

    /**
     * Returns the value of a field that must be present and a JSON integer literal from
     * {@code min} to {@code max}. A number with a fraction or an exponent, such as {@code 2.0}, is
     * rejected even when its value is whole.
     */
    public int requireInteger(String field, int min, int max) {
        Object value = present(field, integerForm(min, max));
        return integerValue(field, value, min, max);
    }

    /** Returns the value of an integer field from {@code min} to {@code max} that may be absent or null. */
    public Optional<Integer> optionalInteger(String field, int min, int max) {
        Object value = fields.get(field);
        if (value == null || value == JsonNull.INSTANCE) {
            return Optional.empty();
        }
        return Optional.of(integerValue(field, value, min, max));
    }

    /**
     * Returns an identifier field that may be absent or null, written as a string or as a JSON
     * integer literal.
     */
    public Optional<String> optionalId(String field) {
        Object value = fields.get(field);
        if (value == null || value == JsonNull.INSTANCE) {
            return Optional.empty();
        }
        if (value instanceof String) {
            return Optional.of((String) value);
        }
        if (value instanceof JsonNumber && ((JsonNumber) value).isIntegerLiteral()) {
            return Optional.of(((JsonNumber) value).literal());
        }
        throw wrongType(field, "a string, an integer or null", value);
    }

    private Object present(String field, String expected) {
        if (!fields.containsKey(field)) {
            throw new RecordProblem(field, "required field is missing; expected " + expected);
        }
        return fields.get(field);
    }

    private static int integerValue(String field, Object value, int min, int max) {
        String expected = integerForm(min, max);
        if (!(value instanceof JsonNumber)) {
            throw wrongType(field, expected, value);
        }
        JsonNumber number = (JsonNumber) value;
        if (!number.isIntegerLiteral()) {
            throw new RecordProblem(field,
                    "expected " + expected + " written as a JSON integer literal, got " + number.literal());
        }
        BigInteger integer = number.bigIntegerValue();
        if (integer.compareTo(BigInteger.valueOf(min)) < 0 || integer.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new RecordProblem(field, "expected " + expected + ", got " + number.literal() + " (out of range)");
        }
        return integer.intValueExact();
    }

    private static String integerForm(int min, int max) {
        return "an integer from " + min + " to " + max;
    }

    private static RecordProblem wrongType(String field, String expected, Object value) {
        return new RecordProblem(field, "expected " + expected + ", got " + describe(value));
    }

    /** Describes a value for an error message, quoting short scalars. */
    static String describe(Object value) {
        if (value == JsonNull.INSTANCE) {
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
        if (value instanceof List) {
            return "an array";
        }
        return "an object";
    }
}
