package org.rlhf4j.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.algorithms.eval.PairwiseEvaluator;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.evaluation.plot.MarginHistogram;
import org.rlhf4j.evaluation.rewardbench.ScoreRecord;
import org.rlhf4j.evaluation.rewardbench.ScoreWriter;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores preference pairs with a saved reward model and reports strict pairwise accuracy. */
@Command(name = "evaluate-reward", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scores preference pairs with a saved reward model and prints strict pairwise accuracy "
                + "(a tie counts as wrong), per subset when the data has subsets.")
final class EvaluateRewardCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Saved reward model folder.")
    private Path model;

    @Option(names = "--data", paramLabel = "FILE", required = true, description = "Pairs to score.")
    private Path data;

    @Option(names = "--format", paramLabel = "NAME", required = true, description = "Data-source plugin that reads --data.")
    private String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the report as JSON to FILE and the histogram of reward margins "
                    + "as margins.png in the folder of FILE.")
    private Path out;

    @Option(names = "--scores", paramLabel = "FILE",
            description = "Also write each pair's scores as JSONL (id, subset, score_chosen, score_rejected), the "
                    + "input of rewardbench-score. Needs pairs with a subset, as the pairs format reads them.")
    private Path scores;

    @Option(names = "--template", paramLabel = "NAME", defaultValue = "plain",
            description = "Chat template, the same as in training (default: ${DEFAULT-VALUE}).")
    private String template;

    @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "192",
            description = "Longest sequence in tokens (default: ${DEFAULT-VALUE}).")
    private int maxLength;

    @Option(names = "--truncation", paramLabel = "MODE", defaultValue = "truncate",
            description = "Over-long pairs: filter or truncate (default: ${DEFAULT-VALUE}).")
    private String truncation;

    @Option(names = "--batch", paramLabel = "PAIRS", defaultValue = "32",
            description = "Pairs per batch (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--skip-bad-records", description = "Skip and count malformed records instead of stopping.")
    private boolean skipBadRecords;

    @Option(names = "--plugin-dir", paramLabel = "DIR", description = "Folder of third-party plugin jars.")
    private Path pluginDir;

    @Override
    public Integer call() throws Exception {
        PluginRegistry registry = PluginDiscovery.builder().optPluginFolder(pluginDir).build().discover();
        DataSource<?> source = registry.dataSource(format);
        InputFiles.requireReadable("--data", data);
        if (source.kind() != RecordKind.PREFERENCE_PAIRS) {
            throw new IllegalArgumentException("Data format '" + format + "' produces " + source.kind()
                    + ", but pairwise evaluation needs preference pairs");
        }
        @SuppressWarnings("unchecked")
        DataSource<PreferencePair> pairSource = (DataSource<PreferencePair>) source;
        List<PreferencePair> pairs;
        try (RecordReader<PreferencePair> reader = pairSource.open(data,
                skipBadRecords ? ReadOptions.lenient() : ReadOptions.strict())) {
            pairs = reader.readAll();
        }
        PrintWriter printer = spec.commandLine().getOut();
        try (LlamaRewardModel reward = LlamaRewardModel.load(model, null)) {
            PairEncoder encoder = new PairEncoder(reward.tokenizer(), ChatTemplate.forName(template), maxLength,
                    Enums.parse(TruncationMode.class, "--truncation", truncation));
            EncodeResult encoded = encoder.encode(pairs);
            PairwiseReport report = new PairwiseEvaluator(reward, batch, PaddingSide.RIGHT, reward.tokenizer().padId())
                    .evaluate(encoded.pairs());
            printer.printf("Pairs: %d scored, %d dropped while encoding %s%n", report.pairs(), encoded.droppedTotal(),
                    encoded.dropped());
            printer.printf("Accuracy: %.4f (%d correct, %d ties), mean margin %.4f%n", report.accuracy(),
                    report.correct(), report.ties(), report.meanMargin());
            report.subsets().forEach((name, subset) -> printer.printf("  %-28s %.4f (%d of %d, %d ties)%n", name,
                    subset.accuracy(), subset.correct(), subset.pairs(), subset.ties()));
            printer.flush();
            if (scores != null) {
                writeScores(encoded, report);
                printer.printf("Wrote %d scored pairs to %s; rlhf4j rewardbench-score --scores %s reports them%n",
                        report.pairs(), scores, scores);
            }
            if (out != null) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("model", model.toString());
                json.put("data", data.toString());
                json.put("pairs", report.pairs());
                json.put("correct", report.correct());
                json.put("ties", report.ties());
                json.put("accuracy", report.accuracy());
                json.put("mean_margin", report.meanMargin());
                json.put("dropped", encoded.dropped());
                Map<String, Object> subsets = new LinkedHashMap<>();
                report.subsets().forEach((name, subset) -> subsets.put(name, Map.of("pairs", subset.pairs(),
                        "correct", subset.correct(), "ties", subset.ties(), "accuracy", subset.accuracy())));
                json.put("subsets", subsets);
                AtomicFiles.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
                Path histogram = MarginHistogram.write(out.toAbsolutePath().getParent(), report.margins());
                printer.printf("Wrote %s and %s%n", out, histogram);
            }
        }
        return 0;
    }

    private void writeScores(EncodeResult encoded, PairwiseReport report) throws IOException {
        List<ScoreRecord> records = new ArrayList<>(report.pairs());
        for (int i = 0; i < report.pairs(); i++) {
            String subset = encoded.pairs().get(i).subset();
            if (subset == null || subset.isBlank()) {
                throw new IllegalArgumentException("--scores needs a subset for every pair, but pair '"
                        + report.ids().get(i) + "' of " + data + " has none; use RewardBench-layout rows");
            }
            records.add(new ScoreRecord(report.ids().get(i), subset, report.chosenScores()[i],
                    report.rejectedScores()[i]));
        }
        ScoreWriter.write(scores, records);
    }
}
