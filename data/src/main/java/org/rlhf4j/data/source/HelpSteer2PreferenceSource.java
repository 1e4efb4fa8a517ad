package org.rlhf4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.DropReasons;
import org.rlhf4j.data.internal.Conversations;
import org.rlhf4j.data.internal.JsonLinesReader;
import org.rlhf4j.data.internal.JsonRecord;
import org.rlhf4j.data.internal.Outcome;

/**
 * Reads HelpSteer2-Preference rows ({@code preference/preference.jsonl.gz} of NVIDIA's HelpSteer2
 * data set) as preference pairs. Plugin name {@value #NAME}.
 *
 * <p>Required fields: {@code prompt}, {@code response_1}, {@code response_2} (strings) and
 * {@code preference_strength}, a JSON integer literal from -3 to 3. {@code split} is optional; a row
 * without it is kept by the {@code ALL} and {@code VALIDATION} filters. Other fields,
 * such as {@code preference_statement}, {@code preference_elaboration},
 * {@code three_most_similar_preferences} and {@code all_preferences_unprocessed}, are ignored.
 * Strengths written as {@code 2.0}, {@code "2"} or {@code true} are malformed: only an integer
 * literal is accepted.
 *
 * <p>Mapping of the strength s: the magnitude is |s|; s &lt; 0 means {@code response_1} is
 * chosen and s &gt; 0 means {@code response_2} is chosen. A tie (s = 0) carries no preference, so
 * it is dropped and counted as {@code "tie"}. With {@link ReadOptions#keepTies()} a tie is kept as a
 * magnitude-1 pair with {@code response_2} chosen, which is NeMo-Aligner's fallback for s = 0;
 * Bradley-Terry training should not use such pairs.
 *
 * <p>The prompt is split into turns at HelpSteer2's {@code <extra_id_1>} markers. The record id is
 * {@code split:line}, for example {@code train:17}, or {@code line:17} for a row without a split.
 */
public final class HelpSteer2PreferenceSource implements DataSource<PreferencePair> {

    /** The plugin name. */
    public static final String NAME = "helpsteer2-preference";

    /** Smallest valid {@code preference_strength}. */
    public static final int MIN_STRENGTH = -3;

    /** Largest valid {@code preference_strength}. */
    public static final int MAX_STRENGTH = 3;

    private final SplitFilter splitFilter;

    /** Creates a source that reads rows of every split. */
    public HelpSteer2PreferenceSource() {
        this(SplitFilter.ALL);
    }

    /**
     * Creates a source that reads only the rows {@code splitFilter} accepts. Other rows are
     * checked like any row, then dropped and counted as {@code "other-split"}.
     *
     * @param splitFilter which splits to keep
     */
    public HelpSteer2PreferenceSource(SplitFilter splitFilter) {
        this.splitFilter = Objects.requireNonNull(splitFilter, "splitFilter");
    }

    /** Returns a copy of this source that keeps the rows {@code filter} accepts. */
    public HelpSteer2PreferenceSource withSplitFilter(SplitFilter filter) {
        return new HelpSteer2PreferenceSource(filter);
    }

    /** Returns which splits this source keeps. */
    public SplitFilter splitFilter() {
        return splitFilter;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads HelpSteer2-Preference rows (response_1, response_2, preference_strength -3..3) as pairs.";
    }

    @Override
    public RecordKind kind() {
        return RecordKind.PREFERENCE_PAIRS;
    }

    @Override
    public RecordReader<PreferencePair> open(Path file, ReadOptions options) throws IOException {
        return JsonLinesReader.open(file, options, (record, line) -> map(record, line, options.keepTies()));
    }

    private Outcome<PreferencePair> map(JsonRecord record, long line, boolean keepTies) {
        String split = record.optionalString("split").orElse(null);
        String promptText = record.requireString("prompt");
        String response1 = record.requireString("response_1");
        String response2 = record.requireString("response_2");
        int strength = record.requireInteger("preference_strength", MIN_STRENGTH, MAX_STRENGTH);
        List<Turn> prompt = Conversations.parseExtraIdPrompt(promptText, "prompt");
        if (!splitFilter.accepts(split)) {
            return Outcome.drop(DropReasons.OTHER_SPLIT);
        }
        if (strength == 0 && !keepTies) {
            return Outcome.drop(DropReasons.TIE);
        }
        String id = (split == null ? "line" : split) + ":" + line;
        return Outcome.keep(toPair(id, prompt, response1, response2, strength));
    }

    /**
     * Builds the pair for one strength: response_1 is chosen when {@code strength < 0}, response_2
     * otherwise (including the tie fallback at 0), with magnitude |strength| and at least 1.
     */
    static PreferencePair toPair(String id, List<Turn> prompt, String response1, String response2, int strength) {
        boolean firstChosen = strength < 0;
        String chosen = firstChosen ? response1 : response2;
        String rejected = firstChosen ? response2 : response1;
        double magnitude = Math.max(1, Math.abs(strength));
        return new PreferencePair(id, prompt, chosen, rejected, magnitude, null);
    }
}
