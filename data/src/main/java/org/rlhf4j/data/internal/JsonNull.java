package org.rlhf4j.data.internal;

/** The JSON {@code null} value in a parsed record. */
public enum JsonNull {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "null";
    }
}
