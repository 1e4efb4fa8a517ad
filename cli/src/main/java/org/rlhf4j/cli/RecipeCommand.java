package org.rlhf4j.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.Splits;
import org.rlhf4j.data.source.Oasst2PairsSource;
import org.rlhf4j.data.source.Oasst2Source;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.evaluation.rewardbench.LlmBarConverter;
import org.rlhf4j.evaluation.rewardbench.RewardBenchPair;
import org.rlhf4j.evaluation.rewardbench.RewardBenchReport;
import org.rlhf4j.evaluation.rewardbench.RewardBenchSchema;
import org.rlhf4j.evaluation.rewardbench.ScoreRecord;
import org.rlhf4j.pipeline.EvaluationSet;
import org.rlhf4j.pipeline.PipelineResult;
import org.rlhf4j.pipeline.RecipeGrid;
import org.rlhf4j.pipeline.RewardPipeline;
import org.rlhf4j.pipeline.Stage;
import org.rlhf4j.pipeline.recipe.RecipePreset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the reward-model comparison grid of a recipe on the bundled data and prints it in the layout of the
 * HelpSteer2-Preference Table 1.
 */
@Command(name = "recipe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains every reward-model variant of the HelpSteer2-Preference comparison from one recipe: "
                + "regression on all attributes and on helpfulness only; BT, margin BT and scaled BT from scratch and "
                + "from the helpfulness-only regression model; scaled BT from regression plus ExPO.",
            "Regression trains on the bundled OpenAssistant (oasst2) human ratings and the pairwise variants on its "
                    + "human sibling rankings. Every variant is scored on the same held-out oasst2 pairs and on the "
                    + "419 LLMBar rows of RewardBench's Chat Hard section."})
final class RecipeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--recipe", paramLabel = "NAME|FILE", defaultValue = "cpu-small",
            description = "Built-in recipe (cpu-small, helpsteer2-preference-70b) or a recipe JSON file "
                    + "(default: ${DEFAULT-VALUE}).")
    private String recipe;

    @Option(names = "--base-model", paramLabel = "GGUF",
            description = "Base model; required when the recipe names a model that is not bundled.")
    private Path baseModel;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/recipe",
            description = "Folder for the models, results.json and table.md (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--language", paramLabel = "CODE", defaultValue = "en",
            description = "Keep oasst2 replies in this language only (default: ${DEFAULT-VALUE}).")
    private String language;

    @Option(names = "--held-out", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Share of prompts whose ratings and pairs are held out (default: ${DEFAULT-VALUE}).")
    private double heldOut;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the split, the heads and the batch order (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() throws Exception {
        RecipePreset preset = Files.isRegularFile(Path.of(recipe)) ? RecipePreset.load(Path.of(recipe))
                : RecipePreset.builtIn(recipe);
        Path model = resolveBaseModel(preset);
        Path oasst = BundledAssets.resolve("datasets/oasst2/oasst2_filtered.jsonl.gz");
        List<RatedResponse> rated = new Oasst2Source().withLanguage(language).open(oasst, ReadOptions.strict()).readAll();
        List<PreferencePair> pairs = new Oasst2PairsSource().withLanguage(language).open(oasst, ReadOptions.strict())
                .readAll();
        Splits.Split<RatedResponse> ratedSplit = Splits.byKey(rated, response -> promptKey(response.prompt()), heldOut,
                seed);
        Splits.Split<PreferencePair> pairSplit = Splits.byKey(pairs, pair -> promptKey(pair.prompt()), heldOut, seed);
        List<PreferencePair> llmBar = llmBarPairs();
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf("Recipe %s: %d rated responses and %d pairs for training, %d held-out pairs, %d LLMBar rows%n",
                preset.name(), ratedSplit.train().size(), pairSplit.train().size(), pairSplit.heldOut().size(),
                llmBar.size());
        printer.flush();

        long started = System.nanoTime();
        RecipeGrid grid = RecipeGrid.of(preset, ratedSplit.train(), pairSplit.train(), seed);
        RewardPipeline.Builder builder = RewardPipeline.builder().baseModel(model).outputDirectory(out).seed(seed)
                .evaluationMaxLength(preset.maxLength())
                .evaluate(new EvaluationSet("held-out", pairSplit.heldOut()))
                .evaluate(new EvaluationSet("llmbar", llmBar));
        for (Stage stage : grid.stages()) {
            builder.stage(stage);
        }
        PipelineResult result = builder.build().run();
        double minutes = (System.nanoTime() - started) / 60e9;

        String table = table(grid, result, llmBar);
        printer.print(table);
        printer.printf("%nGrid finished in %.1f minutes; models, results.json and table.md are in %s%n", minutes, out);
        printer.flush();
        AtomicFiles.writeString(out.resolve("table.md"), table);
        AtomicFiles.writeString(out.resolve("results.json"), json(result, minutes));
        return 0;
    }

    private Path resolveBaseModel(RecipePreset preset) {
        if (baseModel != null) {
            return baseModel;
        }
        if (preset.baseModel().equals("bundled:stories260K")) {
            return BundledAssets.resolve(BundledAssets.MODEL);
        }
        throw new IllegalArgumentException("Recipe '" + preset.name() + "' starts from " + preset.baseModel()
                + ", which is not bundled; pass its GGUF file with --base-model");
    }

    /** Returns a key that is equal for records with the same prompt, so that a split keeps them together. */
    static String promptKey(List<Turn> prompt) {
        return prompt.stream().map(Turn::text).collect(Collectors.joining("\u0000"));
    }

    private static List<PreferencePair> llmBarPairs() throws IOException {
        Path directory = BundledAssets.resolve("datasets/llmbar/llmbar_natural.json").getParent();
        List<PreferencePair> pairs = new ArrayList<>();
        for (RewardBenchPair row : LlmBarConverter.readAll(directory)) {
            pairs.add(new PreferencePair(row.id(), List.of(Turn.user(row.prompt())), row.chosen(), row.rejected(), 1,
                    row.subset()));
        }
        return pairs;
    }

    private static String table(RecipeGrid grid, PipelineResult result, List<PreferencePair> llmBar) {
        Map<String, String> subsetById = new HashMap<>();
        llmBar.forEach(pair -> subsetById.put(pair.id(), pair.subset()));
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        StringBuilder heldOut = new StringBuilder("| Model type | Variant | Held-out oasst2 pairs | LLMBar (419) |\n"
                + "|---|---|---|---|\n");
        result.evaluations().forEach((stage, reports) -> {
            RecipeGrid.Row row = grid.row(stage);
            PairwiseReport bench = reports.get("llmbar");
            List<ScoreRecord> scores = new ArrayList<>();
            for (int i = 0; i < bench.ids().size(); i++) {
                String id = bench.ids().get(i);
                scores.add(new ScoreRecord(id, subsetById.get(id), bench.chosenScores()[i], bench.rejectedScores()[i]));
            }
            report.add(row.modelType(), row.variant(), scores);
            heldOut.append(String.format(java.util.Locale.ROOT, "| %s | %s | %.1f | %.1f |%n", row.modelType(),
                    row.variant(), 100 * reports.get("held-out").accuracy(), 100 * bench.accuracy()));
        });
        return "RewardBench layout (LLMBar rows only, so only Chat Hard has scores):\n\n" + report.toMarkdown()
                + "\nStrict pairwise accuracy in percent:\n\n" + heldOut;
    }

    private static String json(PipelineResult result, double minutes) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("minutes", minutes);
        Map<String, Object> stages = new LinkedHashMap<>();
        result.stages().forEach((name, stage) -> {
            Map<String, Object> entry = new LinkedHashMap<>(stage.metrics());
            result.evaluations().get(name).forEach((set, report) -> entry.put("accuracy_" + set.replace('-', '_'),
                    report.accuracy()));
            stages.put(name, entry);
        });
        json.put("stages", stages);
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json) + "\n";
    }
}
