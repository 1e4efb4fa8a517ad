package com.example.rlhf4j.plugin;

import java.io.IOException;
import java.nio.file.Path;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;

/**
 * Reads preference pairs from tab-separated lines {@code prompt<TAB>chosen<TAB>rejected}.
 *
 * <p>Inside a field, {@code \t}, {@code \n} and {@code \\} stand for a tab, a line break and a
 * backslash. A first line that reads {@code prompt<TAB>chosen<TAB>rejected} is a header and is
 * skipped. Blank lines are skipped and counted. A line without exactly three fields, with an empty
 * field, or longer than {@link ReadOptions#maxLineChars()} is malformed. Pairs whose two responses
 * are equal are dropped as {@code "identical"}. Files ending in {@code .gz} are decompressed.
 */
public final class TsvPairsSource implements DataSource<PreferencePair> {

    /** Creates the source; the plugin registry calls this constructor. */
    public TsvPairsSource() {}

    @Override
    public String name() {
        return "tsv-pairs";
    }

    @Override
    public String description() {
        return "Preference pairs as tab-separated lines: prompt, chosen, rejected.";
    }

    @Override
    public RecordKind kind() {
        return RecordKind.PREFERENCE_PAIRS;
    }

    @Override
    public RecordReader<PreferencePair> open(Path file, ReadOptions options) throws IOException {
        return new TsvPairsReader(file, options);
    }
}
