package org.rlhf4j.cache.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.rlhf4j.algorithms.reward.EncodeResult;

/**
 * Results of one {@link CacheBenchmark} run, written as Markdown and JSON.
 *
 * @param settings the run's settings
 * @param vocabSize number of tokenizer pieces
 * @param result the encoded data set
 * @param cacheBytes size of the Arrow cache file
 * @param tokenizerLoadMillis time to read the tokenizer from the GGUF file, not part of either side
 * @param missMillis time of the first, uncached run: read, tokenize and write the entry
 * @param firstReloadMillis time of the first reload, right after the miss, before any warm-up
 * @param tokenize read + tokenize times
 * @param keys key times: SHA-256 of the data file and of the vocabulary
 * @param loads cache load times: checksum and Arrow read
 * @param reloads key + load times
 */
record BenchmarkReport(BenchmarkSettings settings, int vocabSize, EncodeResult result, long cacheBytes,
        double tokenizerLoadMillis, double missMillis, double firstReloadMillis, Samples tokenize, Samples keys,
        Samples loads, Samples reloads) {

    static final String MARKDOWN = "cache-benchmark.md";
    static final String JSON = "cache-benchmark.json";

    /** Returns the ratio of the median read + tokenize time to the median reload time. */
    double speedUp() {
        return tokenize.median() / reloads.median();
    }

    void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json()) + "\n";
        writeAtomically(folder.resolve(JSON), json);
        writeAtomically(folder.resolve(MARKDOWN), markdown());
    }

    String markdown() {
        StringBuilder text = new StringBuilder("# Tokenized-pair cache: reload against read + tokenize\n\n");
        text.append("- Data: `").append(settings.data().getFileName()).append("`, source `").append(settings.source())
                .append("` (").append(settings.readOptions().onError()).append(" on bad rows): ")
                .append(result.seen()).append(" pairs seen by the encoder, ").append(result.pairs().size())
                .append(" kept, dropped ").append(result.dropped()).append('\n');
        text.append("- Tokenizer: `").append(settings.model().getFileName()).append("` (").append(vocabSize)
                .append(" pieces), template `").append(settings.template()).append("`, max length ")
                .append(settings.maxLength()).append(", ").append(settings.truncation()).append('\n');
        text.append("- Cache file: ").append(cacheBytes).append(" bytes (")
                .append(format(cacheBytes / (1024.0 * 1024.0), 2)).append(" MiB)\n");
        text.append("- Runs: ").append(settings.warmups()).append(" warm-up and ").append(settings.repeats())
                .append(" timed runs of each side, interleaved\n");
        text.append("- Machine: ").append(machine()).append("\n\n");
        text.append("| Step | Median ms | Min ms | Max ms |\n|---|---:|---:|---:|\n");
        row(text, "Read + tokenize (no cache)", tokenize);
        row(text, "Reload: cache key (SHA-256 of data file and vocabulary)", keys);
        row(text, "Reload: checksum + Arrow read", loads);
        row(text, "**Reload total**", reloads);
        text.append(String.format(Locale.ROOT, "%nSpeed-up (median read + tokenize / median reload): **%.1fx**.%n%n"
                + "Single cold runs, before the warm-up: the first run, a miss that reads, tokenizes and writes the "
                + "entry, took %.1f ms, and the first reload right after it took %.1f ms. Reading the tokenizer from "
                + "the GGUF file (%.1f ms) comes before both sides and is not timed.%n",
                speedUp(), missMillis, firstReloadMillis, tokenizerLoadMillis));
        return text.toString();
    }

    private static void row(StringBuilder text, String label, Samples samples) {
        text.append("| ").append(label).append(" | ").append(format(samples.median(), 1)).append(" | ")
                .append(format(samples.min(), 1)).append(" | ").append(format(samples.max(), 1)).append(" |\n");
    }

    private Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("timestamp", Instant.now().toString());
        json.put("data", settings.data().toString());
        json.put("source", settings.source());
        json.put("onError", settings.readOptions().onError().name());
        json.put("model", settings.model().toString());
        json.put("vocabSize", vocabSize);
        json.put("template", settings.template());
        json.put("maxLength", settings.maxLength());
        json.put("truncation", settings.truncation().name());
        json.put("seen", result.seen());
        json.put("pairs", result.pairs().size());
        json.put("dropped", result.dropped());
        json.put("cacheBytes", cacheBytes);
        json.put("warmups", settings.warmups());
        json.put("repeats", settings.repeats());
        json.put("tokenizerLoadMillis", tokenizerLoadMillis);
        json.put("firstMissMillis", missMillis);
        json.put("firstReloadMillis", firstReloadMillis);
        json.put("tokenize", samples(tokenize));
        json.put("reloadKey", samples(keys));
        json.put("reloadLoad", samples(loads));
        json.put("reload", samples(reloads));
        json.put("speedUp", speedUp());
        json.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        json.put("cpu", cpuModel());
        json.put("java", System.getProperty("java.version"));
        json.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return json;
    }

    private static Map<String, Object> samples(Samples samples) {
        // Plain maps, so that Gson needs no reflective access to this module.
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("medianMillis", samples.median());
        json.put("minMillis", samples.min());
        json.put("maxMillis", samples.max());
        json.put("millis", samples.values());
        return json;
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " processors (" + cpuModel() + "), Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    /** Returns the first "model name" of /proc/cpuinfo, or "unknown CPU" where that file is absent. */
    private static String cpuModel() {
        Path cpuInfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuInfo)) {
            return "unknown CPU";
        }
        try (Stream<String> lines = Files.lines(cpuInfo)) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Writes a file through a temporary file in the same folder and a rename, so readers never see half a file. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString() + ".", ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
