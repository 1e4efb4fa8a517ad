package org.rlhf4j.api.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A stream of records from one file. {@link #next()} throws {@link DataFormatException} for a bad
 * record under {@link ReadOptions.OnError#FAIL}; under {@link ReadOptions.OnError#SKIP} it skips
 * the record and counts it in {@link #stats()}.
 *
 * @param <T> the record type
 */
public interface RecordReader<T> extends Iterator<T>, AutoCloseable {

    /**
     * Returns the counters of this reader so far: lines read, records kept and records skipped per
     * reason.
     *
     * @return live counters, updated as records are read
     */
    ReadStats stats();

    @Override
    void close() throws IOException;

    /**
     * Reads all remaining records into a list and closes the reader.
     *
     * @return the records in file order
     */
    default List<T> readAll() {
        List<T> records = new ArrayList<>();
        try (this) {
            while (hasNext()) {
                records.add(next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}
