package org.rlhf4j.api.data;

/** The kind of record a {@link DataSource} produces. */
public enum RecordKind {
    /** {@link PreferencePair} records. */
    PREFERENCE_PAIRS(PreferencePair.class),
    /** {@link RatedResponse} records. */
    RATED_RESPONSES(RatedResponse.class);

    private final Class<?> recordType;

    RecordKind(Class<?> recordType) {
        this.recordType = recordType;
    }

    /** Returns the Java type of the records. */
    public Class<?> recordType() {
        return recordType;
    }
}
