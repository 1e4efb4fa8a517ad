package org.rlhf4j.models.gguf;

/**
 * Tensor element types of ggml, numbered as in {@code ggml.h}. Only {@link #F32} and {@link #F16}
 * data can be loaded; the other names exist so that errors can name the type a file uses.
 */
public enum GgmlType {
    F32(0),
    F16(1),
    Q4_0(2),
    Q4_1(3),
    Q5_0(6),
    Q5_1(7),
    Q8_0(8),
    Q8_1(9),
    Q2_K(10),
    Q3_K(11),
    Q4_K(12),
    Q5_K(13),
    Q6_K(14),
    Q8_K(15),
    IQ2_XXS(16),
    IQ2_XS(17),
    IQ3_XXS(18),
    IQ1_S(19),
    IQ4_NL(20),
    IQ3_S(21),
    IQ2_S(22),
    IQ4_XS(23),
    I8(24),
    I16(25),
    I32(26),
    I64(27),
    F64(28),
    IQ1_M(29),
    BF16(30),
    TQ1_0(34),
    TQ2_0(35),
    MXFP4(39);

    private final int code;

    GgmlType(int code) {
        this.code = code;
    }

    /** Returns the numeric code stored in the file. */
    public int code() {
        return code;
    }

    /** Returns whether this reader can load tensor data of this type. */
    public boolean isSupported() {
        return this == F32 || this == F16;
    }

    /** Returns the bytes per element of a supported type. */
    int bytesPerElement() {
        return switch (this) {
            case F32 -> 4;
            case F16 -> 2;
            default -> throw new IllegalStateException("no fixed element size for " + this);
        };
    }

    /**
     * Returns a readable name for a type code, such as {@code "Q4_0 (2)"} or {@code "unknown (99)"}.
     *
     * @param code the numeric code
     * @return the name and the code
     */
    public static String describe(int code) {
        GgmlType type = fromCode(code);
        return (type == null ? "unknown" : type.name()) + " (" + code + ")";
    }

    /**
     * Finds the type with the given code.
     *
     * @param code the numeric code
     * @return the type, or {@code null} when the code is unknown
     */
    public static GgmlType fromCode(int code) {
        for (GgmlType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
