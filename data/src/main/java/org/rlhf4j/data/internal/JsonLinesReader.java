package org.rlhf4j.data.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.data.DropReasons;

/**
 * Reads a JSON Lines file, one JSON object per line, with the shared policy of
 * {@link AbstractRecordReader}.
 *
 * @param <T> the record type
 */
public final class JsonLinesReader<T> extends AbstractRecordReader<T> {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final Utf8LineInput input;

    private JsonLinesReader(Path file, ReadOptions options, RecordMapper<T> mapper, Utf8LineInput input) {
        super(file, options, mapper);
        this.input = input;
    }

    /**
     * Opens a JSON Lines file, plain or gzip-compressed.
     *
     * @param file the file
     * @param options the reading policy
     * @param mapper turns each object into a record
     * @return a reader that the caller must close
     * @throws IOException when the file cannot be opened
     */
    public static <T> JsonLinesReader<T> open(Path file, ReadOptions options, RecordMapper<T> mapper)
            throws IOException {
        Utf8LineInput input = new Utf8LineInput(DataFiles.open(file), options.maxLineChars());
        return new JsonLinesReader<>(file, options, mapper, input);
    }

    @Override
    protected Entry readEntry() throws IOException {
        Utf8LineInput.Line line = input.next();
        if (line == null) {
            return Entry.END;
        }
        if (line.problem() == Utf8LineInput.Line.Problem.TOO_LONG) {
            return new Entry.Bad(line.number(), DropReasons.TOO_LONG, null, line.detail(), false);
        }
        if (line.problem() != null) {
            return new Entry.Bad(line.number(), DropReasons.MALFORMED, null, line.detail(), false);
        }
        return parse(line.number(), line.text());
    }

    private static Entry parse(long number, String text) {
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            if (number != 1) {
                return new Entry.Bad(number, DropReasons.MALFORMED, null,
                        "unexpected byte order mark (U+FEFF) at the start of the line; only line 1 may have one",
                        false);
            }
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return Entry.BLANK;
        }
        try {
            return new Entry.Parsed(number, StrictJson.parseObjectLine(text));
        } catch (RecordProblem problem) {
            return new Entry.Bad(number, DropReasons.MALFORMED, problem.field(), problem.getMessage(), false);
        }
    }

    @Override
    protected void closeInput() throws IOException {
        input.close();
    }
}
