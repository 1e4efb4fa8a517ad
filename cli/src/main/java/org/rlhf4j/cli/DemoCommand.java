package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the main job on its built-in default: a reward model trained from the bundled stories260K
 * model on bundled real preference pairs, evaluated on held-out pairs of the same set.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains a reward model from the bundled model on bundled real preference pairs and prints "
                + "held-out accuracy before and after training. Needs no download and no GPU.")
final class DemoCommand implements Callable<Integer> {

    /** The bundled data sets the demo can train on. */
    enum Dataset {
        INSTRUCTION_PREFERENCE("instruction-preference", BundledAssets.INSTRUCTION_PREFERENCE),
        HH_RLHF("hh-rlhf", BundledAssets.HH_RLHF_HARMLESS);

        final String format;
        final String file;

        Dataset(String format, String file) {
            this.format = format;
            this.file = file;
        }
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "instruction-preference",
            description = "Bundled pairs to train on: instruction-preference (polite vs impolite answers, 1,100 pairs) "
                    + "or hh-rlhf (Anthropic HH-RLHF harmless-base test split, 2,312 human judgments) "
                    + "(default: ${DEFAULT-VALUE}).")
    private String dataset;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo",
            description = "Folder for the trained model, metrics.json, steps.jsonl and PNG plots "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path out;

    @Mixin
    private TrainingOptions training;

    @Override
    public Integer call() throws Exception {
        Dataset chosen = Enums.parse(Dataset.class, "--dataset", dataset);
        Path data = BundledAssets.resolve(chosen.file);
        // The HH-RLHF file has a few rows whose two dialogues differ before the last reply; skip and count them.
        boolean lenient = training.skipBadRecords || chosen == Dataset.HH_RLHF;
        training.skipBadRecords = lenient;
        RewardRunSettings settings = new RewardRunSettings(data, chosen.format, null, null,
                training.heldOutFraction, training.readOptions(), BundledAssets.resolve(BundledAssets.MODEL), null,
                training.loss, training.template, training.maxTrainPairs, training.trainerConfig(),
                training.evalBatchPairs, training.pluginDir, out);
        Map<String, Object> metrics = new RewardRun(settings, RewardRun.Checkpoints.NONE,
                training.cacheDirectory(), spec.commandLine().getOut()).allowOverwrite(true).run();
        double before = (Double) metrics.get("accuracy_before");
        double after = (Double) metrics.get("accuracy_after");
        spec.commandLine().getOut().printf("Demo: held-out accuracy %.3f -> %.3f on %s%n", before, after, chosen.format);
        return 0;
    }
}
