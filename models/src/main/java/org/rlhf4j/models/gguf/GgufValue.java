package org.rlhf4j.models.gguf;

import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value.
 *
 * <p>The Java type of {@link #value()} depends on {@link #type()}: {@code Integer} for UINT8, INT8,
 * UINT16, INT16 and INT32; {@code Long} for UINT32, INT64 and UINT64 (a UINT64 above
 * {@link Long#MAX_VALUE} wraps to a negative number); {@code Float}, {@code Double},
 * {@code Boolean} and {@code String} for the others; and an unmodifiable {@code List<GgufValue>}
 * for ARRAY.
 *
 * @param type the value type
 * @param elementType the element type of an ARRAY, {@code null} for scalars
 * @param value the value
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("elementType must be set exactly for ARRAY values, not for " + type);
        }
        if (type == GgufValueType.ARRAY) {
            value = List.copyOf((List<?>) value);
        }
    }

    /** Creates a scalar value. */
    static GgufValue scalar(GgufValueType type, Object value) {
        return new GgufValue(type, null, value);
    }

    /** Returns an integer value of any integer type as a long. */
    public long asLong() {
        if (!type.isInteger()) {
            throw new IllegalStateException("value of type " + type + " is not an integer");
        }
        return ((Number) value).longValue();
    }

    /** Returns a numeric value (integer or floating point) as a double. */
    public double asDouble() {
        if (!(value instanceof Number)) {
            throw new IllegalStateException("value of type " + type + " is not a number");
        }
        return ((Number) value).doubleValue();
    }

    /** Returns a BOOL value. */
    public boolean asBoolean() {
        if (type != GgufValueType.BOOL) {
            throw new IllegalStateException("value of type " + type + " is not a BOOL");
        }
        return (Boolean) value;
    }

    /** Returns a STRING value. */
    public String asString() {
        if (type != GgufValueType.STRING) {
            throw new IllegalStateException("value of type " + type + " is not a STRING");
        }
        return (String) value;
    }

    /** Returns the elements of an ARRAY value. */
    @SuppressWarnings("unchecked")
    public List<GgufValue> asList() {
        if (type != GgufValueType.ARRAY) {
            throw new IllegalStateException("value of type " + type + " is not an ARRAY");
        }
        return (List<GgufValue>) value;
    }

    @Override
    public String toString() {
        if (type != GgufValueType.ARRAY) {
            return type + ":" + value;
        }
        List<GgufValue> list = asList();
        String shown = list.size() <= 8 ? list.toString() : list.subList(0, 8) + "...";
        return "ARRAY<" + elementType + ">[" + list.size() + "]" + shown;
    }
}
