package org.rlhf4j.models.tokenizer;

/** Kinds of vocabulary entries, numbered as in GGUF {@code tokenizer.ggml.token_type} (llama.cpp). */
public enum TokenType {
    UNDEFINED(0),
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    /** Returns the numeric code stored in GGUF files. */
    public int code() {
        return code;
    }

    /**
     * Returns whether text that spells this token is read as the token itself instead of being
     * split into pieces (unknown, control and user-defined tokens).
     */
    public boolean isSpecial() {
        return this == UNKNOWN || this == CONTROL || this == USER_DEFINED;
    }

    /**
     * Finds the type with the given code.
     *
     * @param code the numeric code
     * @return the type
     * @throws IllegalArgumentException when the code is unknown
     */
    public static TokenType fromCode(int code) {
        for (TokenType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown token type code " + code);
    }
}
