package org.rlhf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.evaluation.rewardbench.RewardBenchReport;
import org.rlhf4j.evaluation.rewardbench.RewardBenchSchema;
import org.rlhf4j.evaluation.rewardbench.ScoreReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Computes a RewardBench report from a file of per-pair scores produced by any reward model. */
@Command(name = "rewardbench-score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores a RewardBench run from a JSONL file with id, subset, score_chosen and score_rejected.",
            "Subset accuracy is strict (a tie counts as wrong); a section is the example-count-weighted mean of its "
                    + "subsets; Overall is the unweighted mean of Chat, Chat Hard, Safety and Reasoning. Sections with "
                    + "missing subsets are marked with an asterisk."})
final class RewardBenchScoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--scores", paramLabel = "FILE", required = true,
            description = "JSONL (optionally .gz) with id, subset, score_chosen, score_rejected per line.")
    private Path scores;

    @Option(names = "--model-type", paramLabel = "TEXT", defaultValue = "Reward model",
            description = "First column of the table row (default: ${DEFAULT-VALUE}).")
    private String modelType;

    @Option(names = "--variant", paramLabel = "TEXT",
            description = "Second column of the table row (default: the scores file name).")
    private String variant;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    private Path json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the Markdown table to FILE.")
    private Path markdown;

    @Override
    public Integer call() throws Exception {
        requireOtherFile("--json", json);
        requireOtherFile("--markdown", markdown);
        if (json != null && markdown != null && samePath(json, markdown)) {
            throw new IllegalArgumentException("--json and --markdown name the same file " + json
                    + "; give each report its own file");
        }
        RewardBenchReport report = new RewardBenchReport(RewardBenchSchema.v1());
        report.add(modelType,
                variant != null ? variant : scores.getFileName().toString(), ScoreReader.read(scores));
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.toMarkdown());
        out.flush();
        if (json != null) {
            report.writeJson(json);
        }
        if (markdown != null) {
            report.writeMarkdown(markdown);
        }
        return 0;
    }

    /** Rejects an output file that is the scores file, which writing the report would overwrite. */
    private void requireOtherFile(String flag, Path output) {
        if (output != null && samePath(output, scores)) {
            throw new IllegalArgumentException(flag + " " + output + " is the --scores file; writing the report there "
                    + "would replace the scores. Choose another file");
        }
    }

    private static boolean samePath(Path first, Path second) {
        return first.toAbsolutePath().normalize().equals(second.toAbsolutePath().normalize());
    }
}
