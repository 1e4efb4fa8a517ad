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
import org.rlhf4j.data.internal.JsonArrayReader;
import org.rlhf4j.data.internal.JsonRecord;
import org.rlhf4j.data.internal.Outcome;

/**
 * Reads the instruction-preference file of "Build a Large Language Model (From Scratch)"
 * ({@code instruction-data-with-preference.json}): one JSON array of objects
 * {@code {instruction, input, output, rejected, chosen}}. Plugin name {@value #NAME}.
 *
 * <p>The array is streamed one element at a time. Required fields: {@code instruction},
 * {@code chosen} and {@code rejected} (strings). {@code input} is optional (string or null);
 * {@code output} and other fields are ignored. The prompt is one user turn: the instruction,
 * followed by {@code "\n\n"} and the input when the input is not empty. The record id is the
 * 1-based element number, which also takes the place of the line number in errors. A syntax error
 * ends the file; see {@link JsonArrayReader}. {@link ReadOptions#maxLineChars()} does not apply.
 */
public final class InstructionPreferenceSource implements DataSource<PreferencePair> {

    /** The plugin name. */
    public static final String NAME = "instruction-preference";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads a JSON array of {instruction, input, chosen, rejected} objects as preference pairs.";
    }

    @Override
    public RecordKind kind() {
        return RecordKind.PREFERENCE_PAIRS;
    }

    @Override
    public RecordReader<PreferencePair> open(Path file, ReadOptions options) throws IOException {
        return JsonArrayReader.open(file, options, InstructionPreferenceSource::map);
    }

    private static Outcome<PreferencePair> map(JsonRecord record, long element) {
        String instruction = record.requireString("instruction");
        String input = record.optionalString("input").orElse("");
        String chosen = record.requireString("chosen");
        String rejected = record.requireString("rejected");
        String prompt = input.isEmpty() ? instruction : instruction + "\n\n" + input;
        return Outcome.keep(new PreferencePair(
                Long.toString(element), List.of(Turn.user(prompt)), chosen, rejected, 1.0, null));
    }
}
