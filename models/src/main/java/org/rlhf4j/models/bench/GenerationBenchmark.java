package org.rlhf4j.models.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.models.BundledModels;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures generation speed in tokens per second with and without the KV cache, at 32, 128 and
 * 256 new tokens, and writes {@code generation-benchmark.md} and {@code generation-benchmark.json}
 * to an output folder.
 *
 * <p>Usage: {@code GenerationBenchmark <output-folder> [--model <gguf>] [--batch <n>] [--repeats <n>]
 * [--threads <n>]}. The model defaults to the bundled stories260K, the batch to 4 prompts and the
 * repeats to 3. {@code --threads} sets the PyTorch intra-op and inter-op thread counts
 * ({@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads}) before the
 * engine starts; without it the engine's defaults apply.
 * Every run samples at temperature 1 with a fixed seed and with stopping at the end-of-sequence
 * id turned off, so that each sequence generates exactly the requested number of tokens. One
 * untimed warm-up run per setting comes first, because the engine prepares kernels for new shapes
 * on first use. The reported time is the median of the timed repeats. Tokens per second count
 * generated tokens of the whole batch, prompts excluded. The engine's thread count comes from
 * the usual DJL settings unless {@code --threads} is given.
 */
public final class GenerationBenchmark {

    private static final Logger logger = LoggerFactory.getLogger(GenerationBenchmark.class);

    private static final int[] NEW_TOKENS = {32, 128, 256};
    private static final String[] PROMPTS = {
        "Once upon a time, there was a little girl named Lily.",
        "Tom and his dog went to the park.",
        "The sun was shining and the birds were singing.",
        "One day, a big bear came to the forest.",
        "Mia wanted to play with her new ball.",
        "The cat sat on the mat and looked at the moon.",
        "Ben found a shiny red box under the tree.",
        "It was a rainy day, so Sue stayed home."
    };

    private GenerationBenchmark() {
    }

    /** One measured setting. */
    record Measurement(boolean kvCache, int newTokens, int batch, double medianSeconds, double tokensPerSecond,
            List<Double> repeatSeconds) {}

    /**
     * Runs the benchmark.
     *
     * @param args the output folder, then optional {@code --model}, {@code --batch} and {@code --repeats}
     * @throws IOException when the model cannot be read or the report cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("Usage: GenerationBenchmark <output-folder> [--model <gguf>]"
                    + " [--batch <n>] [--repeats <n>] [--threads <n>]");
        }
        Path output = Path.of(args[0]);
        Map<String, String> options = options(args);
        Path modelPath = options.containsKey("--model") ? Path.of(options.get("--model"))
                : BundledModels.stories260K().orElseThrow(() -> new IllegalArgumentException(
                        "The bundled stories260K model was not found; pass --model <gguf>"));
        int batch = positive(options, "--batch", 4);
        int repeats = positive(options, "--repeats", 3);
        if (options.containsKey("--threads")) {
            String threads = Integer.toString(positive(options, "--threads", 1));
            System.setProperty("ai.djl.pytorch.num_threads", threads);
            System.setProperty("ai.djl.pytorch.num_interop_threads", threads);
        }

        GgufFile gguf = GgufFile.open(modelPath);
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(gguf);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            prompts.add(tokenizer.encodeWithSpecials(PROMPTS[i % PROMPTS.length], true, false));
        }
        List<Measurement> measurements = new ArrayList<>();
        try (LlamaModel model = LlamaModel.fromGguf(gguf, null)) {
            for (int newTokens : NEW_TOKENS) {
                for (boolean kvCache : new boolean[] {true, false}) {
                    measurements.add(measure(model, prompts, kvCache, newTokens, repeats));
                }
            }
        }
        Files.createDirectories(output);
        Map<String, Object> report = report(modelPath, batch, repeats, measurements);
        writeAtomically(output.resolve("generation-benchmark.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(report) + "\n");
        writeAtomically(output.resolve("generation-benchmark.md"), markdown(modelPath, batch, repeats, measurements));
        logger.info("Wrote generation-benchmark.md and generation-benchmark.json to {}", output.toAbsolutePath());
    }

    private static Measurement measure(LlamaModel model, List<int[]> prompts, boolean kvCache, int newTokens,
            int repeats) {
        Generator generator = new Generator(model, kvCache);
        SamplingConfig config = SamplingConfig.builder().maxNewTokens(newTokens).stopAtEos(false).seed(1).build();
        generator.generate(prompts, config);
        List<Double> seconds = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            long start = System.nanoTime();
            List<GenerationResult> results = generator.generate(prompts, config);
            seconds.add((System.nanoTime() - start) / 1e9);
            int generated = results.stream().mapToInt(GenerationResult::responseLength).sum();
            if (generated != newTokens * prompts.size()) {
                throw new IllegalStateException("Expected " + newTokens * prompts.size() + " tokens but " + generated
                        + " were generated; the prompts may be too close to the context length");
            }
        }
        double median = seconds.stream().sorted().toList().get(seconds.size() / 2);
        double tokensPerSecond = newTokens * prompts.size() / median;
        logger.info("KV cache {}: {} new tokens x {} prompts in {} s, {} tokens/s", kvCache ? "on" : "off", newTokens,
                prompts.size(), format(median, 3), format(tokensPerSecond, 1));
        return new Measurement(kvCache, newTokens, prompts.size(), median, tokensPerSecond, seconds);
    }

    private static Map<String, Object> report(Path model, int batch, int repeats, List<Measurement> measurements) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", model.getFileName().toString());
        report.put("batch", batch);
        report.put("repeats", repeats);
        report.put("timestamp", Instant.now().toString());
        report.put("java", System.getProperty("java.version"));
        report.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        report.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        report.put("pytorchThreads", System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Measurement measurement : measurements) {
            // Plain maps, so that Gson needs no reflective access to this module.
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kvCache", measurement.kvCache());
            row.put("newTokens", measurement.newTokens());
            row.put("batch", measurement.batch());
            row.put("medianSeconds", measurement.medianSeconds());
            row.put("tokensPerSecond", measurement.tokensPerSecond());
            row.put("repeatSeconds", measurement.repeatSeconds());
            rows.add(row);
        }
        report.put("measurements", rows);
        return report;
    }

    private static String markdown(Path model, int batch, int repeats, List<Measurement> measurements) {
        StringBuilder text = new StringBuilder("# Generation speed with and without the KV cache\n\n");
        text.append("Model ").append(model.getFileName()).append(", batch of ").append(batch)
                .append(" prompts, sampling at temperature 1 with no stop at the end-of-sequence id, median of ")
                .append(repeats).append(" runs after one warm-up run. Java ").append(System.getProperty("java.version"))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" processors, PyTorch threads ")
                .append(System.getProperty("ai.djl.pytorch.num_threads", "engine default")).append(", ")
                .append(Instant.now()).append(".\n\n");
        text.append("| New tokens | KV cache | Seconds | Tokens/s | Speed-up |\n|---:|---|---:|---:|---:|\n");
        for (Measurement measurement : measurements) {
            double uncached = measurements.stream()
                    .filter(m -> !m.kvCache() && m.newTokens() == measurement.newTokens())
                    .mapToDouble(Measurement::tokensPerSecond).findFirst().orElse(Double.NaN);
            text.append("| ").append(measurement.newTokens()).append(" | ").append(measurement.kvCache() ? "on" : "off")
                    .append(" | ").append(format(measurement.medianSeconds(), 3)).append(" | ")
                    .append(format(measurement.tokensPerSecond(), 1)).append(" | ")
                    .append(format(measurement.tokensPerSecond() / uncached, 2)).append("x |\n");
        }
        return text.toString();
    }

    /** Writes a file through a temporary file in the same folder and a rename, so readers never see half a file. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!List.of("--model", "--batch", "--repeats", "--threads").contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Unknown option or missing value: " + args[i]
                        + "; expected --model <gguf>, --batch <n>, --repeats <n> or --threads <n>");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static int positive(Map<String, String> options, String name, int defaultValue) {
        if (!options.containsKey(name)) {
            return defaultValue;
        }
        int value = Integer.parseInt(options.get(name));
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
