package org.rlhf4j.cache.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.cache.CacheKey;
import org.rlhf4j.cache.TokenizedPairCache;
import org.rlhf4j.data.DataSources;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, in one run, reloading a tokenized data set from the Arrow cache against reading and
 * tokenizing it again, and writes {@code cache-benchmark.md} and {@code cache-benchmark.json} to an
 * output folder.
 *
 * <p>Usage: {@value BenchmarkSettings#USAGE}. By default it uses the bundled HH-RLHF harmless-base
 * test file and the bundled stories260K tokenizer.
 *
 * <p>The tokenizer is loaded once, outside the timings. The entry is deleted and written once by a
 * timed cache miss, and reloaded once right after it (the first, cold reload of the JVM). Then each
 * repetition runs both sides in turn, after the warm-up runs:
 * <ul>
 *   <li>tokenize: open the data source, read every row and encode it with {@link PairEncoder};
 *   <li>reload: build the {@link CacheKey} (SHA-256 of the data file and of the vocabulary), then
 *       {@link TokenizedPairCache#load}, which checks the Arrow file's SHA-256 and reads it.
 * </ul>
 * The report gives the median, minimum and maximum of each, and the speed-up as the ratio of the
 * medians. Every reloaded result is checked to equal the freshly tokenized one, outside the timings.
 * The Java command line needs {@code --add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED}.
 */
public final class CacheBenchmark {

    private static final Logger logger = LoggerFactory.getLogger(CacheBenchmark.class);

    private CacheBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args the output folder, then the options listed in the class documentation
     * @throws IOException when the model or data cannot be read, or the report cannot be written
     */
    public static void main(String[] args) throws IOException {
        BenchmarkSettings settings = BenchmarkSettings.parse(args);
        long start = System.nanoTime();
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(GgufFile.open(settings.model()));
        double tokenizerLoadMillis = (System.nanoTime() - start) / 1e6;
        Run run = new Run(settings, tokenizer);

        BenchmarkReport report = run.measure(tokenizerLoadMillis);
        report.write(settings.output());
        logger.info("Median read + tokenize {} ms, reload {} ms, speed-up {}x; wrote {} and {}",
                BenchmarkReport.format(report.tokenize().median(), 1),
                BenchmarkReport.format(report.reloads().median(), 1), BenchmarkReport.format(report.speedUp(), 1),
                settings.output().resolve(BenchmarkReport.MARKDOWN), settings.output().resolve(BenchmarkReport.JSON));
    }

    /** Timed repetitions of each step. */
    private static final class Timings {
        final Samples tokenize = new Samples();
        final Samples keys = new Samples();
        final Samples loads = new Samples();
        final Samples reloads = new Samples();
    }

    /** One benchmark run over fixed settings. */
    private static final class Run {

        private final BenchmarkSettings settings;
        private final SentencePieceTokenizer tokenizer;
        private final ChatTemplate template;
        private final PairEncoder encoder;
        private final DataSource<PreferencePair> source;
        private final TokenizedPairCache cache;

        Run(BenchmarkSettings settings, SentencePieceTokenizer tokenizer) {
            this.settings = settings;
            this.tokenizer = tokenizer;
            this.template = ChatTemplate.forName(settings.template());
            this.encoder = new PairEncoder(tokenizer, template, settings.maxLength(), settings.truncation());
            this.source = DataSources.forName(settings.source(), PreferencePair.class);
            this.cache = TokenizedPairCache.in(settings.cacheDir());
        }

        BenchmarkReport measure(double tokenizerLoadMillis) throws IOException {
            CacheKey key = key();
            cache.delete(key);
            long start = System.nanoTime();
            EncodeResult result = cache.getOrCompute(key, this::tokenize);
            double missMillis = (System.nanoTime() - start) / 1e6;
            if (!Files.isRegularFile(cache.sidecarFile(key))) {
                throw new IllegalStateException("The cache entry was not written to " + cache.directory()
                        + "; see the WARN line above");
            }

            start = System.nanoTime();
            check(result, reload());
            double firstReloadMillis = (System.nanoTime() - start) / 1e6;

            for (int i = 0; i < settings.warmups(); i++) {
                check(result, tokenize());
                check(result, reload());
            }
            Timings timings = new Timings();
            for (int i = 0; i < settings.repeats(); i++) {
                timeOnce(timings);
            }
            return new BenchmarkReport(settings, tokenizer.vocabSize(), result, Files.size(cache.arrowFile(key)),
                    tokenizerLoadMillis, missMillis, firstReloadMillis, timings.tokenize, timings.keys,
                    timings.loads, timings.reloads);
        }

        /** Times one read + tokenize and one reload, split into key and load, then compares the results. */
        private void timeOnce(Timings timings) throws IOException {
            long tokenizeStart = System.nanoTime();
            EncodeResult fresh = tokenize();
            long reloadStart = System.nanoTime();
            CacheKey reloadKey = key();
            long loadStart = System.nanoTime();
            EncodeResult loaded = load(reloadKey);
            long end = System.nanoTime();

            timings.tokenize.add(reloadStart - tokenizeStart);
            timings.keys.add(loadStart - reloadStart);
            timings.loads.add(end - loadStart);
            timings.reloads.add(end - reloadStart);
            check(fresh, loaded);
        }

        private CacheKey key() throws IOException {
            return CacheKey.builder()
                    .dataFile(settings.data())
                    .dataSource(settings.source(), settings.readOptions())
                    .tokenizer(tokenizer)
                    .chatTemplate(template)
                    .encoder(encoder)
                    .build();
        }

        private EncodeResult tokenize() {
            try (RecordReader<PreferencePair> reader = source.open(settings.data(), settings.readOptions())) {
                return encoder.encode(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private EncodeResult reload() throws IOException {
            return load(key());
        }

        private EncodeResult load(CacheKey key) throws IOException {
            return cache.load(key).orElseThrow(() -> new IllegalStateException(
                    "The cache entry " + cache.arrowFile(key) + " could not be reloaded; see the WARN line above"));
        }

        private static void check(EncodeResult expected, EncodeResult actual) {
            if (!expected.equals(actual)) {
                throw new IllegalStateException("The reloaded pairs differ from the tokenized ones: "
                        + actual.pairs().size() + " pairs of " + actual.seen() + " against "
                        + expected.pairs().size() + " of " + expected.seen());
            }
        }
    }
}
