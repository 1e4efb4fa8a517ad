package org.rlhf4j.cache.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.models.BundledModels;

/**
 * Command-line settings of {@link CacheBenchmark}.
 *
 * @param output folder for the report and, unless {@code cacheDir} is set, the cache files
 * @param data the data file to tokenize
 * @param source plugin name of the data source
 * @param readOptions how the source reads the file ({@code lenient}: bad rows are skipped and counted)
 * @param model GGUF file whose tokenizer is used
 * @param template chat template name
 * @param maxLength maximum tokens per side
 * @param truncation what the encoder does with longer sides
 * @param warmups untimed runs of each side before the timed ones
 * @param repeats timed runs of each side
 * @param cacheDir the cache folder
 */
record BenchmarkSettings(Path output, Path data, String source, ReadOptions readOptions, Path model,
        String template, int maxLength, TruncationMode truncation, int warmups, int repeats, Path cacheDir) {

    static final String HH_RLHF = "datasets/hh-rlhf-harmless-base/test.jsonl.gz";

    static final String USAGE = "Usage: CacheBenchmark <output-folder> [--data <file>] [--source <name>]"
            + " [--model <gguf>] [--template <name>] [--max-length <tokens>] [--truncation TRUNCATE|FILTER]"
            + " [--warmups <n>] [--repeats <n>] [--cache-dir <folder>]";

    private static final List<String> OPTIONS = List.of("--data", "--source", "--model", "--template",
            "--max-length", "--truncation", "--warmups", "--repeats", "--cache-dir");

    /**
     * Parses the arguments. Defaults: the bundled HH-RLHF harmless-base test file read by
     * {@code hh-rlhf} with lenient options, the bundled stories260K tokenizer, the {@code plain}
     * template, 512 tokens with {@code TRUNCATE}, 2 warm-up runs, 5 timed runs, and the cache in
     * {@code <output-folder>/cache}.
     */
    static BenchmarkSettings parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException(USAGE);
        }
        Path output = Path.of(args[0]);
        Map<String, String> options = options(args);
        Path data = options.containsKey("--data") ? Path.of(options.get("--data")) : bundled(HH_RLHF, "--data");
        Path model = options.containsKey("--model") ? Path.of(options.get("--model"))
                : bundled(BundledModels.STORIES_260K, "--model");
        TruncationMode truncation = TruncationMode.valueOf(
                options.getOrDefault("--truncation", "TRUNCATE").toUpperCase(Locale.ROOT));
        Path cacheDir = Path.of(options.getOrDefault("--cache-dir", output.resolve("cache").toString()));
        return new BenchmarkSettings(output, data, options.getOrDefault("--source", "hh-rlhf"), ReadOptions.lenient(),
                model, options.getOrDefault("--template", "plain"), atLeast(options, "--max-length", 512, 2),
                truncation, atLeast(options, "--warmups", 2, 0), atLeast(options, "--repeats", 5, 1), cacheDir);
    }

    private static Path bundled(String relativePath, String option) {
        return BundledModels.find(relativePath).orElseThrow(() -> new IllegalArgumentException(
                "bundled/" + relativePath + " was not found above the working folder; pass " + option));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Unknown option or missing value: " + args[i] + "\n" + USAGE);
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static int atLeast(Map<String, String> options, String name, int defaultValue, int minimum) {
        if (!options.containsKey(name)) {
            return defaultValue;
        }
        int value = Integer.parseInt(options.get(name));
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be >= " + minimum + ", got " + value);
        }
        return value;
    }
}
