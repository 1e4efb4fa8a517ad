package org.rlhf4j.api.data;

import java.io.IOException;
import java.nio.file.Path;
import org.rlhf4j.api.Plugin;

/**
 * Reads one file format into records. Readers stream: they hold one record in memory at a time,
 * whatever the size of the file.
 *
 * @param <T> the record type, {@link PreferencePair} or {@link RatedResponse}
 */
public interface DataSource<T> extends Plugin {

    /**
     * Returns the kind of records this source produces.
     *
     * @return the record kind
     */
    RecordKind kind();

    /**
     * Opens a file for reading. Files whose name ends in {@code .gz} are decompressed.
     *
     * @param file the file to read
     * @param options how to treat bad records, ties and size limits
     * @return a reader that the caller must close
     * @throws IOException when the file cannot be opened
     */
    RecordReader<T> open(Path file, ReadOptions options) throws IOException;
}
