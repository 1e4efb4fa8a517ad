package org.rlhf4j.models.gguf;

/** Type codes of GGUF metadata values, as numbered by the GGUF specification. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int code;
    private final int minBytes;

    GgufValueType(int code, int minBytes) {
        this.code = code;
        this.minBytes = minBytes;
    }

    /** Returns the numeric code stored in the file. */
    public int code() {
        return code;
    }

    /** Returns the fewest bytes one value of this type occupies (a string or array header for those types). */
    int minBytes() {
        return minBytes;
    }

    /** Returns whether values of this type are integers. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /**
     * Finds the type with the given code.
     *
     * @param code the numeric code
     * @return the type, or {@code null} when the code is unknown
     */
    static GgufValueType fromCode(long code) {
        for (GgufValueType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
