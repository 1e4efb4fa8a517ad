package org.rlhf4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.ReadStats;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.data.internal.JsonLinesReader;
import org.rlhf4j.data.internal.Outcome;
import org.rlhf4j.data.internal.RecordMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a JSON Lines file in which one line yields any number of records, such as one message tree
 * per line. Lines are read by {@link JsonLinesReader}, so errors, {@link ReadOptions.OnError} and
 * the line limits work as in every other source.
 *
 * <p>{@link #stats()} counts lines read, blank lines and malformed lines as the line reader does,
 * but counts kept and dropped <em>records</em>: each kept record once, and each candidate record
 * that a line's mapper dropped under its reason.
 *
 * @param <T> the record type
 */
final class ExpandingRecordReader<T> implements RecordReader<T> {

    private static final Logger logger = LoggerFactory.getLogger(ExpandingRecordReader.class);

    private final Path file;
    private final String recordNoun;
    private final JsonLinesReader<Expansion<T>> lines;
    private final ReadStats stats = new ReadStats();
    private final Deque<T> queue = new ArrayDeque<>();
    private final Map<String, Long> mirroredDrops = new HashMap<>();
    private long mirroredRead;
    private long mirroredBlank;
    private DataFormatException pendingError;
    private boolean closed;

    /**
     * The records made from one line and the candidates it dropped.
     *
     * @param records the records, in the order they are handed out
     * @param dropped number of dropped candidates per reason
     */
    record Expansion<T>(List<T> records, Map<String, Long> dropped) {

        Expansion {
            records = List.copyOf(records);
            dropped = Map.copyOf(dropped);
        }
    }

    private ExpandingRecordReader(Path file, String recordNoun, JsonLinesReader<Expansion<T>> lines) {
        this.file = file;
        this.recordNoun = recordNoun;
        this.lines = lines;
    }

    /**
     * Opens a file.
     *
     * @param file the file, plain or gzip-compressed
     * @param options the reading policy
     * @param recordNoun plural noun for the log line, such as {@code "rated replies"}
     * @param mapper turns one line into its records; it throws
     *     {@link org.rlhf4j.data.internal.RecordProblem} for a malformed line
     * @return a reader that the caller must close
     * @throws IOException when the file cannot be opened
     */
    static <T> ExpandingRecordReader<T> open(Path file, ReadOptions options, String recordNoun,
            RecordMapper<Expansion<T>> mapper) throws IOException {
        return new ExpandingRecordReader<>(file, recordNoun, JsonLinesReader.open(file, options, mapper));
    }

    /** Returns an outcome that keeps the expansion of one line, even when it has no records. */
    static <T> Outcome<Expansion<T>> expansion(List<T> records, Map<String, Long> dropped) {
        return Outcome.keep(new Expansion<>(records, dropped));
    }

    @Override
    public ReadStats stats() {
        return stats;
    }

    @Override
    public boolean hasNext() {
        while (queue.isEmpty() && pendingError == null) {
            if (!readLine()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Throws {@link DataFormatException} in place of the records of a malformed line under
     * {@link ReadOptions.OnError#FAIL}; reading ends after it.
     */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records in " + file);
        }
        if (pendingError != null) {
            DataFormatException error = pendingError;
            pendingError = null;
            throw error;
        }
        return queue.removeFirst();
    }

    /** Reads the next line into the queue, or keeps its error; returns false at the end of the file. */
    private boolean readLine() {
        Expansion<T> expansion;
        try {
            if (!lines.hasNext()) {
                return false;
            }
            expansion = lines.next();
        } catch (DataFormatException error) {
            pendingError = error;
            return true;
        } finally {
            mirrorLineCounts();
        }
        expansion.dropped().forEach(this::countDropped);
        for (T record : expansion.records()) {
            stats.countKept();
            queue.addLast(record);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        lines.close();
        mirrorLineCounts();
        logger.info("Read {} {} from {}: {}", stats.kept(), recordNoun, file, stats);
    }

    /** Copies the line reader's counters that grew since the last call: lines, blank lines and bad lines. */
    private void mirrorLineCounts() {
        ReadStats lineStats = lines.stats();
        for (; mirroredRead < lineStats.read(); mirroredRead++) {
            stats.countRead();
        }
        for (; mirroredBlank < lineStats.blank(); mirroredBlank++) {
            stats.countBlank();
        }
        lineStats.droppedByReason().forEach((reason, count) -> {
            long mirrored = mirroredDrops.getOrDefault(reason, 0L);
            countDropped(reason, count - mirrored);
            mirroredDrops.put(reason, count);
        });
    }

    private void countDropped(String reason, long count) {
        for (long i = 0; i < count; i++) {
            stats.countDropped(reason);
        }
    }
}
