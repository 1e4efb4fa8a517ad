package org.rlhf4j.data.internal;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.data.DropReasons;

/**
 * Reads a file that contains one JSON array of objects, streaming one element at a time. Element
 * numbers (1-based) take the place of line numbers.
 *
 * <p>An element that is not an object, or has a duplicate key or an unpaired surrogate, is a bad
 * record and reading goes on with the next element. A syntax error or invalid UTF-8 leaves no
 * reliable position to resume from, so it ends the file: under {@code SKIP} it is counted and
 * logged once, and the records before it are kept.
 *
 * <p>NOTE: {@link ReadOptions#maxLineChars()} does not apply here, because an element is not a
 * line; one very large element is read whole into memory.
 *
 * @param <T> the record type
 */
public final class JsonArrayReader<T> extends AbstractRecordReader<T> {

    private enum State { BEFORE_ARRAY, IN_ARRAY, DONE }

    private final JsonReader json;
    private State state = State.BEFORE_ARRAY;
    private long number;

    private JsonArrayReader(Path file, ReadOptions options, RecordMapper<T> mapper, JsonReader json) {
        super(file, options, mapper);
        this.json = json;
    }

    /**
     * Opens a JSON array file, plain or gzip-compressed.
     *
     * @param file the file
     * @param options the reading policy
     * @param mapper turns each element into a record
     * @return a reader that the caller must close
     * @throws IOException when the file cannot be opened
     */
    public static <T> JsonArrayReader<T> open(Path file, ReadOptions options, RecordMapper<T> mapper)
            throws IOException {
        StrictUtf8Reader chars = new StrictUtf8Reader(DataFiles.open(file));
        return new JsonArrayReader<>(file, options, mapper, StrictJson.strictReader(chars));
    }

    @Override
    protected Entry readEntry() throws IOException {
        if (state == State.DONE) {
            return Entry.END;
        }
        boolean inElement = false;
        try {
            if (state == State.BEFORE_ARRAY && !enterArray()) {
                return fatal(1, "expected a JSON array of objects, got " + StrictJson.describe(json.peek()));
            }
            if (!json.hasNext()) {
                return leaveArray();
            }
            number++;
            inElement = true;
            return readElement();
        } catch (CharacterCodingException e) {
            return fatal(inElement ? number : number + 1, e.getMessage());
        } catch (IOException e) {
            return fatal(inElement ? number : number + 1, StrictJson.syntaxMessage(e, true));
        }
    }

    private boolean enterArray() throws IOException {
        if (json.peek() != JsonToken.BEGIN_ARRAY) {
            return false;
        }
        json.beginArray();
        state = State.IN_ARRAY;
        return true;
    }

    private Entry leaveArray() throws IOException {
        json.endArray();
        if (json.peek() != JsonToken.END_DOCUMENT) {
            return fatal(number + 1, "expected nothing after the closing bracket of the array");
        }
        state = State.DONE;
        return Entry.END;
    }

    private Entry readElement() throws IOException {
        JsonToken token = json.peek();
        if (token != JsonToken.BEGIN_OBJECT) {
            json.skipValue();
            return new Entry.Bad(number, DropReasons.MALFORMED, null,
                    "expected a JSON object, got " + StrictJson.describe(token), false);
        }
        try {
            return new Entry.Parsed(number, StrictJson.readRecord(json));
        } catch (RecordProblem problem) {
            return new Entry.Bad(number, DropReasons.MALFORMED, problem.field(), problem.getMessage(), false);
        }
    }

    private Entry fatal(long elementNumber, String problem) {
        state = State.DONE;
        return new Entry.Bad(elementNumber, DropReasons.MALFORMED, null, problem, true);
    }

    @Override
    protected void closeInput() throws IOException {
        json.close();
    }
}
