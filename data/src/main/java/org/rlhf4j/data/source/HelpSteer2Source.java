package org.rlhf4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.data.internal.Conversations;
import org.rlhf4j.data.internal.JsonLinesReader;
import org.rlhf4j.data.internal.JsonRecord;
import org.rlhf4j.data.internal.Outcome;

/**
 * Reads HelpSteer2 rows as responses with attribute ratings. Plugin name {@value #NAME}.
 *
 * <p>Required fields: {@code prompt} and {@code response} (strings). Each of the attributes in
 * {@link #ATTRIBUTES} is optional; when present it must be a JSON integer literal from 0 to 4. An
 * attribute that is absent or null is left out of the ratings. A value out of range or of another
 * type makes the row malformed. Other fields are ignored. The prompt is split into turns at
 * HelpSteer2's {@code <extra_id_1>} markers, and the record id is the 1-based line number.
 */
public final class HelpSteer2Source implements DataSource<RatedResponse> {

    /** The plugin name. */
    public static final String NAME = "helpsteer2";

    /** The rated attributes, in the order of the ratings map. */
    public static final List<String> ATTRIBUTES =
            List.of("helpfulness", "correctness", "coherence", "complexity", "verbosity");

    /** Smallest valid rating. */
    public static final int MIN_RATING = 0;

    /** Largest valid rating. */
    public static final int MAX_RATING = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads HelpSteer2 rows (prompt, response and five attributes rated 0..4) as rated responses.";
    }

    @Override
    public RecordKind kind() {
        return RecordKind.RATED_RESPONSES;
    }

    @Override
    public RecordReader<RatedResponse> open(Path file, ReadOptions options) throws IOException {
        return JsonLinesReader.open(file, options, HelpSteer2Source::map);
    }

    private static Outcome<RatedResponse> map(JsonRecord record, long line) {
        String prompt = record.requireString("prompt");
        String response = record.requireString("response");
        Map<String, Double> ratings = new LinkedHashMap<>();
        for (String attribute : ATTRIBUTES) {
            record.optionalInteger(attribute, MIN_RATING, MAX_RATING)
                    .ifPresent(value -> ratings.put(attribute, value.doubleValue()));
        }
        return Outcome.keep(new RatedResponse(
                Long.toString(line), Conversations.parseExtraIdPrompt(prompt, "prompt"), response, ratings));
    }
}
