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
import java.util.Arrays;
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
 * 256 new tokens, next to a PyTorch eager peer in the same run, and writes
 * {@code generation-benchmark.md} and {@code generation-benchmark.json} to an output folder.
 *
 * <p>Usage: {@code GenerationBenchmark <output-folder> [--model <gguf>] [--batch <n>] [--repeats <n>]
 * [--threads <n>] [--peer-python <path>]}. The model defaults to the bundled stories260K, the batch to 4
 * prompts and the repeats to 3. {@code --threads} sets the PyTorch intra-op and inter-op thread counts
 * ({@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads}) before the
 * engine starts, and the peer's {@code torch.set_num_threads}; without it both engines' defaults apply.
 * Every run samples at temperature 1 with a fixed seed and with stopping at the end-of-sequence
 * id turned off, so that each sequence generates exactly the requested number of tokens. One
 * untimed warm-up run per setting comes first, because the engine prepares kernels for new shapes
 * on first use. The reported time is the median of the timed repeats. Tokens per second count
 * generated tokens of the whole batch, prompts excluded.
 *
 * <p>The peer is {@code generation_peer.py} run by {@code --peer-python} (default
 * {@code /usr/bin/python3}, with Debian's python3-torch): the same model, prompt ids, number of new
 * tokens and sampling settings, written with plain torch operators in eager mode, float32, under
 * {@code torch.no_grad()}. Its random numbers differ from the Java ones, so sampled tokens differ,
 * but every run generates the same number of tokens. For each setting the Java and peer warm-up
 * runs come first, then the timed runs alternate between the two, so both see the same machine
 * load. The peer times each generation itself, without the exchange with this process. A greedy
 * check compares both sides' argmax tokens for the first prompt at 32 tokens with the KV cache.
 * When the peer cannot start, the benchmark runs without it and the report gives the reason.
 */
public final class GenerationBenchmark {

    private static final Logger logger = LoggerFactory.getLogger(GenerationBenchmark.class);

    private static final int[] NEW_TOKENS = {32, 128, 256};
    private static final int GREEDY_CHECK_TOKENS = 32;
    private static final long SEED = 1;
    private static final double TEMPERATURE = 1.0;
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
    private static final List<String> OPTIONS = List.of("--model", "--batch", "--repeats", "--threads",
            "--peer-python");
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

    /**
     * One measured setting. The peer's list of seconds is empty when the peer did not run.
     */
    record Measurement(boolean kvCache, int newTokens, int batch, List<Double> repeatSeconds,
            List<Double> peerRepeatSeconds) {

        double medianSeconds() {
            return median(repeatSeconds);
        }

        double tokensPerSecond() {
            return newTokens * batch / medianSeconds();
        }

        boolean hasPeer() {
            return !peerRepeatSeconds.isEmpty();
        }

        double peerMedianSeconds() {
            return hasPeer() ? median(peerRepeatSeconds) : Double.NaN;
        }

        double peerTokensPerSecond() {
            return newTokens * batch / peerMedianSeconds();
        }

        /** Returns rlhf4j's tokens per second divided by the peer's: above 1 when rlhf4j is faster. */
        double ratio() {
            return tokensPerSecond() / peerTokensPerSecond();
        }

        private static double median(List<Double> seconds) {
            return seconds.stream().sorted().toList().get(seconds.size() / 2);
        }
    }

    /** The argmax tokens of both sides for one prompt, and the first index where they differ (-1: none). */
    record GreedyCheck(int[] rlhf4jTokens, int[] peerTokens, int firstDifference) {}

    /** The peer while it runs, or the reason it does not. */
    private static final class PeerSlot {

        private GenerationPeer peer;
        private GenerationPeer.Info info;
        private String skipReason;

        void stop(String reason) {
            logger.warn("The peer stopped: {}", reason);
            skipReason = reason;
            peer.close();
            peer = null;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args the output folder, then optional {@code --model}, {@code --batch}, {@code --repeats},
     *     {@code --threads} and {@code --peer-python}
     * @throws IOException when the model cannot be read or the report cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("Usage: GenerationBenchmark <output-folder> [--model <gguf>]"
                    + " [--batch <n>] [--repeats <n>] [--threads <n>] [--peer-python <path>]");
        }
        Path output = Path.of(args[0]);
        Map<String, String> options = options(args);
        Path modelPath = options.containsKey("--model") ? Path.of(options.get("--model"))
                : BundledModels.stories260K().orElseThrow(() -> new IllegalArgumentException(
                        "The bundled stories260K model was not found; pass --model <gguf>"));
        int batch = positive(options, "--batch", 4);
        int repeats = positive(options, "--repeats", 3);
        int threads = options.containsKey("--threads") ? positive(options, "--threads", 1) : 0;
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        }
        Path python = Path.of(options.getOrDefault("--peer-python", GenerationPeer.DEFAULT_PYTHON.toString()));

        GgufFile gguf = GgufFile.open(modelPath);
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(gguf);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            prompts.add(tokenizer.encodeWithSpecials(PROMPTS[i % PROMPTS.length], true, false));
        }
        String loadAtStart = loadAverage();
        PeerSlot slot = startPeer(python, modelPath, threads);
        List<Measurement> measurements = new ArrayList<>();
        GreedyCheck greedyCheck = null;
        try (LlamaModel model = LlamaModel.fromGguf(gguf, null)) {
            for (int newTokens : NEW_TOKENS) {
                for (boolean kvCache : new boolean[] {true, false}) {
                    measurements.add(measure(model, slot, prompts, kvCache, newTokens, repeats));
                }
            }
            greedyCheck = greedyCheck(model, slot, prompts.get(0));
        } finally {
            if (slot.peer != null) {
                slot.peer.close();
            }
        }
        String loadAtEnd = loadAverage();
        Files.createDirectories(output);
        Map<String, Object> report = report(modelPath, batch, repeats, measurements);
        report.put("loadAverageAtStart", loadAtStart);
        report.put("loadAverageAtEnd", loadAtEnd);
        report.put("peer", peerReport(python, slot, greedyCheck));
        writeAtomically(output.resolve("generation-benchmark.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(report) + "\n");
        String context = contextLine(modelPath, batch, repeats, loadAtStart, loadAtEnd);
        writeAtomically(output.resolve("generation-benchmark.md"),
                markdown(context, peerLine(python, slot.info, slot.skipReason), greedyLine(greedyCheck),
                        measurements));
        logger.info("Wrote generation-benchmark.md and generation-benchmark.json to {}", output.toAbsolutePath());
    }

    private static PeerSlot startPeer(Path python, Path model, int threads) {
        PeerSlot slot = new PeerSlot();
        try {
            slot.peer = GenerationPeer.start(python, model, threads);
            slot.info = slot.peer.info();
        } catch (GenerationPeer.UnavailableException e) {
            logger.warn("Running without the PyTorch eager peer: {}; install it with: {}", e.getMessage(),
                    GenerationPeer.INSTALL_COMMAND);
            slot.skipReason = e.getMessage();
        }
        return slot;
    }

    private static Measurement measure(LlamaModel model, PeerSlot slot, List<int[]> prompts, boolean kvCache,
            int newTokens, int repeats) {
        Generator generator = new Generator(model, kvCache);
        SamplingConfig config = SamplingConfig.builder().temperature(TEMPERATURE).maxNewTokens(newTokens)
                .stopAtEos(false).seed(SEED).build();
        generator.generate(prompts, config);
        peerRun(slot, prompts, newTokens, kvCache, TEMPERATURE);
        List<Double> seconds = new ArrayList<>();
        List<Double> peerSeconds = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            long start = System.nanoTime();
            List<GenerationResult> results = generator.generate(prompts, config);
            seconds.add((System.nanoTime() - start) / 1e9);
            int generated = results.stream().mapToInt(GenerationResult::responseLength).sum();
            if (generated != newTokens * prompts.size()) {
                throw new IllegalStateException("Expected " + newTokens * prompts.size() + " tokens but " + generated
                        + " were generated; the prompts may be too close to the context length");
            }
            GenerationPeer.Run run = peerRun(slot, prompts, newTokens, kvCache, TEMPERATURE);
            if (run != null) {
                peerSeconds.add(run.seconds());
            }
        }
        if (peerSeconds.size() != repeats) {
            peerSeconds.clear();
        }
        Measurement measurement = new Measurement(kvCache, newTokens, prompts.size(), seconds, peerSeconds);
        logger.info("KV cache {}: {} new tokens x {} prompts in {} s, {} tokens/s; peer {} tokens/s",
                kvCache ? "on" : "off", newTokens, prompts.size(), format(measurement.medianSeconds(), 3),
                format(measurement.tokensPerSecond(), 1), format(measurement.peerTokensPerSecond(), 1));
        return measurement;
    }

    /** Runs one generation in the peer; returns null when there is no peer or it stops now. */
    private static GenerationPeer.Run peerRun(PeerSlot slot, List<int[]> prompts, int newTokens, boolean kvCache,
            double temperature) {
        if (slot.peer == null) {
            return null;
        }
        try {
            GenerationPeer.Run run = slot.peer.generate(prompts, newTokens, kvCache, temperature, SEED);
            for (int[] row : run.tokens()) {
                if (row.length != newTokens) {
                    slot.stop("it generated " + row.length + " tokens where " + newTokens + " were requested");
                    return null;
                }
            }
            return run;
        } catch (IOException e) {
            slot.stop(e.getMessage());
            return null;
        }
    }

    /** Compares the argmax tokens of rlhf4j and the peer for one prompt with the KV cache; null without a peer. */
    private static GreedyCheck greedyCheck(LlamaModel model, PeerSlot slot, int[] prompt) {
        SamplingConfig greedy = SamplingConfig.builder().temperature(0).maxNewTokens(GREEDY_CHECK_TOKENS)
                .stopAtEos(false).seed(SEED).build();
        int[] ours = new Generator(model, true).generate(prompt, greedy).responseIds();
        GenerationPeer.Run run = peerRun(slot, List.of(prompt), GREEDY_CHECK_TOKENS, true, 0);
        if (run == null) {
            return null;
        }
        int[] theirs = run.tokens()[0];
        int difference = GenerationPeer.firstDifference(ours, theirs);
        if (difference >= 0) {
            logger.warn("Greedy tokens differ from index {}: rlhf4j {}, peer {}", difference, Arrays.toString(ours),
                    Arrays.toString(theirs));
        }
        return new GreedyCheck(ours, theirs, difference);
    }

    /** Reads the 1, 5 and 15 minute load averages from /proc/loadavg; returns "unavailable" without it. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(LOAD_AVERAGE, StandardCharsets.US_ASCII).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(fields, Math.min(3, fields.length)));
        } catch (IOException e) {
            return "unavailable";
        }
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
            if (measurement.hasPeer()) {
                row.put("peerMedianSeconds", measurement.peerMedianSeconds());
                row.put("peerTokensPerSecond", measurement.peerTokensPerSecond());
                row.put("peerRepeatSeconds", measurement.peerRepeatSeconds());
                row.put("rlhf4jOverPeer", measurement.ratio());
            }
            rows.add(row);
        }
        report.put("measurements", rows);
        return report;
    }

    private static Map<String, Object> peerReport(Path python, PeerSlot slot, GreedyCheck check) {
        Map<String, Object> peer = new LinkedHashMap<>();
        peer.put("python", python.toString());
        if (slot.info != null) {
            peer.put("torch", slot.info.torchVersion());
            peer.put("threads", slot.info.threads());
            peer.put("interopThreads", slot.info.interopThreads());
        }
        if (slot.skipReason != null) {
            peer.put("skipped", slot.skipReason);
        }
        if (check != null) {
            Map<String, Object> greedy = new LinkedHashMap<>();
            greedy.put("newTokens", GREEDY_CHECK_TOKENS);
            greedy.put("match", check.firstDifference() < 0);
            greedy.put("firstDifference", check.firstDifference());
            greedy.put("rlhf4jTokens", check.rlhf4jTokens());
            greedy.put("peerTokens", check.peerTokens());
            peer.put("greedyCheck", greedy);
        }
        return peer;
    }

    private static String contextLine(Path model, int batch, int repeats, String loadAtStart, String loadAtEnd) {
        return "Model " + model.getFileName() + ", batch of " + batch
                + " prompts, sampling at temperature 1 with no stop at the end-of-sequence id, median of " + repeats
                + " runs after one warm-up run. Java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors, PyTorch threads "
                + System.getProperty("ai.djl.pytorch.num_threads", "engine default") + ", load average (1, 5, 15 min) "
                + loadAtStart + " at the start and " + loadAtEnd + " at the end, " + Instant.now() + ".";
    }

    /**
     * Describes the peer in one line: its torch version and threads, or why it was skipped.
     *
     * @param python the interpreter
     * @param info what the peer reported on start, or null when it did not start
     * @param skipReason why the peer did not run or stopped, or null
     * @return the line, without a line break
     */
    static String peerLine(Path python, GenerationPeer.Info info, String skipReason) {
        if (info == null) {
            return "Peer skipped: " + skipReason + " (install it with `" + GenerationPeer.INSTALL_COMMAND + "`).";
        }
        String line = "Peer: PyTorch " + info.torchVersion() + " eager via " + python + ", " + info.threads()
                + " threads (" + info.interopThreads() + " inter-op), OMP_WAIT_POLICY=PASSIVE; for each setting the"
                + " timed runs alternate between rlhf4j and the peer.";
        return skipReason == null ? line : line + " The peer stopped during the run: " + skipReason + ".";
    }

    /**
     * Describes the greedy check in one line.
     *
     * @param check the check, or null when the peer did not run it
     * @return the line, without a line break
     */
    static String greedyLine(GreedyCheck check) {
        if (check == null) {
            return "Greedy check: not run, because the peer did not run.";
        }
        String prefix = "Greedy check (first prompt, " + check.rlhf4jTokens().length + " tokens, KV cache on): ";
        if (check.firstDifference() < 0) {
            return prefix + "the peer's argmax tokens equal rlhf4j's.";
        }
        return prefix + "the tokens differ from index " + check.firstDifference() + ": rlhf4j "
                + Arrays.toString(check.rlhf4jTokens()) + ", peer " + Arrays.toString(check.peerTokens()) + ".";
    }

    static String markdown(String context, String peerLine, String greedyLine, List<Measurement> measurements) {
        StringBuilder text = new StringBuilder("# Generation speed with and without the KV cache\n\n");
        text.append(context).append("\n\n").append(peerLine).append("\n\n").append(greedyLine).append("\n\n");
        text.append("| New tokens | KV cache | Seconds | Tokens/s | Speed-up | Peer seconds | Peer tokens/s"
                + " | rlhf4j/peer |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement measurement : measurements) {
            double uncached = measurements.stream()
                    .filter(m -> !m.kvCache() && m.newTokens() == measurement.newTokens())
                    .mapToDouble(Measurement::tokensPerSecond).findFirst().orElse(Double.NaN);
            text.append(row(measurement, uncached)).append('\n');
        }
        return text.toString();
    }

    /**
     * Formats one table row; the peer's cells are "-" when the peer did not run.
     *
     * @param measurement the setting
     * @param uncachedTokensPerSecond rlhf4j's tokens per second without the cache at the same length
     * @return the row, without a line break
     */
    static String row(Measurement measurement, double uncachedTokensPerSecond) {
        String peer = measurement.hasPeer()
                ? format(measurement.peerMedianSeconds(), 3) + " | " + format(measurement.peerTokensPerSecond(), 1)
                        + " | " + format(measurement.ratio(), 2) + "x"
                : "- | - | -";
        return "| " + measurement.newTokens() + " | " + (measurement.kvCache() ? "on" : "off") + " | "
                + format(measurement.medianSeconds(), 3) + " | " + format(measurement.tokensPerSecond(), 1) + " | "
                + format(measurement.tokensPerSecond() / uncachedTokensPerSecond, 2) + "x | " + peer + " |";
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
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("Unknown option or missing value: " + args[i] + "; expected"
                        + " --model <gguf>, --batch <n>, --repeats <n>, --threads <n> or --peer-python <path>");
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
