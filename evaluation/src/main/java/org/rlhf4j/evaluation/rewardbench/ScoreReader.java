package org.rlhf4j.evaluation.rewardbench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.evaluation.internal.FieldProblem;
import org.rlhf4j.evaluation.internal.JsonFields;
import org.rlhf4j.evaluation.internal.JsonLinesInput;

/**
 * Reads a RewardBench scores file: JSON Lines, one object per pair with the fields {@code id}
 * (string or integer), {@code subset} (non-blank string), {@code score_chosen} and
 * {@code score_rejected} (finite JSON numbers). Other fields are ignored.
 *
 * <p>Reading stops at the first bad line with a {@link DataFormatException} that names the file,
 * the 1-based line, the field and the expected form, because a benchmark score computed over the
 * remaining lines would not be comparable. Rejected: a missing field, a value of the wrong type
 * (including a quoted number or null), a duplicate key, invalid UTF-8 or an unpaired surrogate,
 * and an {@code id} seen on an earlier line. Blank lines are skipped; a byte order mark at the
 * start, CRLF line breaks and gzip compression ({@code .gz}) are accepted.
 */
public final class ScoreReader {

    static final String ID = "id";
    static final String SUBSET = "subset";
    static final String SCORE_CHOSEN = "score_chosen";
    static final String SCORE_REJECTED = "score_rejected";
    private static final Set<String> FIELDS = Set.of(ID, SUBSET, SCORE_CHOSEN, SCORE_REJECTED);

    private ScoreReader() {
    }

    /**
     * Reads every record of a scores file.
     *
     * @param file the JSON Lines file, plain or gzip-compressed
     * @return the records in file order
     * @throws DataFormatException at the first bad line
     * @throws IOException when the file cannot be read
     */
    public static List<ScoreRecord> read(Path file) throws IOException {
        List<ScoreRecord> records = new ArrayList<>();
        Map<String, Long> lineOfId = new HashMap<>();
        try (JsonLinesInput input = JsonLinesInput.open(file)) {
            JsonFields fields;
            while ((fields = input.next(FIELDS)) != null) {
                ScoreRecord record = toRecord(input, fields);
                Long earlier = lineOfId.putIfAbsent(record.id(), input.lineNumber());
                if (earlier != null) {
                    throw new DataFormatException(file, input.lineNumber(), ID, "duplicate id '" + record.id()
                            + "', first seen on line " + earlier + "; expected each pair once");
                }
                records.add(record);
            }
        }
        return records;
    }

    private static ScoreRecord toRecord(JsonLinesInput input, JsonFields fields) {
        try {
            String id = fields.requireId(ID);
            String subset = fields.requireNonBlankString(SUBSET);
            double chosen = fields.requireFiniteNumber(SCORE_CHOSEN);
            double rejected = fields.requireFiniteNumber(SCORE_REJECTED);
            return new ScoreRecord(id, subset, chosen, rejected);
        } catch (FieldProblem problem) {
            throw input.error(problem);
        }
    }
}
