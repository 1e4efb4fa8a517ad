package org.rlhf4j.data.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.ReadStats;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.data.DropReasons;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the reading policy that every built-in source shares: error handling per
 * {@link ReadOptions.OnError}, counting in {@link ReadStats}, dropping identical pairs and logging.
 * Subclasses only split the file into {@link Entry entries}.
 *
 * <p>{@link #hasNext()} reads ahead to the next kept record. Under {@code FAIL}, a bad record makes
 * {@code hasNext()} return true and the following {@link #next()} throw
 * {@link DataFormatException}; the reader then ends. Under {@code SKIP}, a bad record is counted,
 * logged at WARN and reading goes on with the next record. At most {@value #MAX_WARNINGS} such lines
 * are logged per file (an error that ends the file is always logged), and {@link #close()} logs one
 * summary line for the rest. A record is handed out only after all its fields have
 * been checked. {@link #close()} logs the counters at INFO.
 *
 * @param <T> the record type
 */
public abstract class AbstractRecordReader<T> implements RecordReader<T> {

    /** Maximum number of WARN lines for skipped records per file. */
    public static final int MAX_WARNINGS = 20;

    private static final Logger logger = LoggerFactory.getLogger(AbstractRecordReader.class);

    private final Path file;
    private final ReadOptions options;
    private final RecordMapper<T> mapper;
    private final ReadStats stats = new ReadStats();
    private T pending;
    private DataFormatException pendingError;
    private boolean finished;
    private boolean closed;
    private int badRecords;
    private int loggedWarnings;

    /**
     * Creates a reader.
     *
     * @param file the file, for messages
     * @param options the reading policy
     * @param mapper turns parsed objects into records
     */
    protected AbstractRecordReader(Path file, ReadOptions options, RecordMapper<T> mapper) {
        this.file = file;
        this.options = options;
        this.mapper = mapper;
    }

    /**
     * Reads the next entry from the file.
     *
     * @return the next entry, or {@link Entry#END}
     * @throws IOException when the file cannot be read
     */
    protected abstract Entry readEntry() throws IOException;

    /** Closes the underlying input. */
    protected abstract void closeInput() throws IOException;

    /** Returns the file being read. */
    public Path file() {
        return file;
    }

    @Override
    public ReadStats stats() {
        return stats;
    }

    /** Returns how many WARN lines were logged for skipped records so far. */
    public int loggedWarnings() {
        return loggedWarnings;
    }

    @Override
    public boolean hasNext() {
        if (pending == null && pendingError == null && !finished) {
            advance();
        }
        return pending != null || pendingError != null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records in " + file);
        }
        if (pendingError != null) {
            DataFormatException error = pendingError;
            pendingError = null;
            finished = true;
            throw error;
        }
        T record = pending;
        pending = null;
        return record;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        finished = true;
        closeInput();
        if (badRecords > loggedWarnings) {
            logger.warn("{} more bad records in {} were skipped without a log line", badRecords - loggedWarnings, file);
        }
        logger.info("Read {}: {}", file, stats);
    }

    private void advance() {
        while (pending == null && pendingError == null && !finished) {
            Entry entry = nextEntry();
            if (entry == Entry.END) {
                finished = true;
                return;
            }
            stats.countRead();
            if (entry == Entry.BLANK) {
                stats.countBlank();
            } else if (entry instanceof Entry.Bad) {
                reject((Entry.Bad) entry);
            } else {
                accept((Entry.Parsed) entry);
            }
        }
    }

    private Entry nextEntry() {
        try {
            return readEntry();
        } catch (IOException e) {
            finished = true;
            throw new UncheckedIOException("Failed to read " + file + ": " + e.getMessage(), e);
        }
    }

    private void accept(Entry.Parsed entry) {
        Outcome<T> outcome;
        try {
            outcome = mapper.map(entry.record(), entry.number());
        } catch (RecordProblem problem) {
            reject(new Entry.Bad(entry.number(), DropReasons.MALFORMED, problem.field(), problem.getMessage(), false));
            return;
        }
        if (outcome.kept() && isIdenticalPair(outcome.record())) {
            logger.debug("{}:{}: chosen and rejected are the same text; pair dropped", file, entry.number());
            outcome = Outcome.drop(DropReasons.IDENTICAL);
        }
        if (outcome.kept()) {
            stats.countKept();
            pending = outcome.record();
        } else {
            stats.countDropped(outcome.dropReason());
        }
    }

    private static boolean isIdenticalPair(Object record) {
        if (!(record instanceof PreferencePair)) {
            return false;
        }
        PreferencePair pair = (PreferencePair) record;
        return Texts.sameResponse(pair.chosen(), pair.rejected());
    }

    private void reject(Entry.Bad bad) {
        stats.countDropped(bad.reason());
        DataFormatException error = new DataFormatException(file, bad.number(), bad.field(), bad.problem());
        if (bad.fatal()) {
            finished = true;
        }
        if (options.onError() == ReadOptions.OnError.FAIL) {
            pendingError = error;
            return;
        }
        badRecords++;
        if (badRecords <= MAX_WARNINGS || bad.fatal()) {
            loggedWarnings++;
            logger.warn("Skipped bad record: {}{}", error.getMessage(),
                    bad.fatal() ? "; the rest of the file cannot be read" : "");
        }
    }
}
