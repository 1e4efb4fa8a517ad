package org.rlhf4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.internal.JsonLinesReader;
import org.rlhf4j.data.internal.JsonRecord;
import org.rlhf4j.data.internal.Outcome;

/**
 * Reads generic preference rows in the RewardBench layout. Plugin name {@value #NAME}.
 *
 * <p>Required fields: {@code prompt}, {@code chosen} and {@code rejected} (strings). Optional:
 * {@code subset} (string or null) and {@code id} (string, integer or null); the id falls back to
 * the 1-based line number. Other fields, such as {@code chosen_model} and {@code rejected_model},
 * are ignored. The prompt becomes one user turn and the magnitude is 1.
 */
public final class PairsSource implements DataSource<PreferencePair> {

    /** The plugin name. */
    public static final String NAME = "pairs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads prompt/chosen/rejected rows with optional subset and id (RewardBench layout).";
    }

    @Override
    public RecordKind kind() {
        return RecordKind.PREFERENCE_PAIRS;
    }

    @Override
    public RecordReader<PreferencePair> open(Path file, ReadOptions options) throws IOException {
        return JsonLinesReader.open(file, options, PairsSource::map);
    }

    private static Outcome<PreferencePair> map(JsonRecord record, long line) {
        String prompt = record.requireString("prompt");
        String chosen = record.requireString("chosen");
        String rejected = record.requireString("rejected");
        String subset = record.optionalString("subset").orElse(null);
        String id = record.optionalId("id").orElse(Long.toString(line));
        return Outcome.keep(new PreferencePair(id, List.of(Turn.user(prompt)), chosen, rejected, 1.0, subset));
    }
}
