package org.rlhf4j.cache;

/** Signals that a cache entry's files are missing, truncated, altered or not in the expected layout. */
final class CorruptCacheException extends Exception {

    private static final long serialVersionUID = 1L;

    CorruptCacheException(String message) {
        super(message);
    }

    CorruptCacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
