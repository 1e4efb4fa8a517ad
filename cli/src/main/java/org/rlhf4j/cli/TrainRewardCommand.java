package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a scalar reward model on a preference data set. */
@Command(name = "train-reward", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains a scalar reward model on preference pairs and reports held-out pairwise accuracy "
                + "before and after training.")
final class TrainRewardCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", required = true,
            description = "Training pairs (.jsonl, .jsonl.gz or, for instruction-preference, a .json array).")
    private Path data;

    @Option(names = "--format", paramLabel = "NAME", required = true,
            description = "Data-source plugin that reads --data: helpsteer2-preference, pairs, hh-rlhf, "
                    + "instruction-preference, or a third-party name.")
    private String format;

    @Option(names = "--eval-data", paramLabel = "FILE",
            description = "Held-out pairs; without it --held-out of --data is kept for evaluation.")
    private Path evalData;

    @Option(names = "--eval-format", paramLabel = "NAME",
            description = "Data-source plugin that reads --eval-data (default: the value of --format).")
    private String evalFormat;

    @Option(names = "--base-model", paramLabel = "GGUF",
            description = "Pretrained decoder in GGUF format (default: the bundled stories260K model).")
    private Path baseModel;

    @Option(names = "--init", paramLabel = "DIR",
            description = "Continue from a saved reward model instead of --base-model. A regression model "
                    + "(several attributes) starts pairwise training from its helpfulness output, head included.")
    private Path init;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder for the trained model, metrics.json, steps.jsonl and the PNG plots loss.png, "
                    + "accuracy.png and margins.png.")
    private Path out;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", defaultValue = "0",
            description = "Write a training checkpoint (weights, optimizer state, schedule and data position) to "
                    + "OUT/checkpoints/step-NNNNNN every STEPS optimizer steps and after the last step; 0 writes "
                    + "none (default: ${DEFAULT-VALUE}).")
    private long checkpointEvery;

    @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "3",
            description = "Keep the newest N checkpoints in OUT/checkpoints and delete older ones "
                    + "(default: ${DEFAULT-VALUE}).")
    private int keepCheckpoints;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue a stopped run from its latest checkpoint. DIR is the run's --out folder, its "
                    + "checkpoints folder or one step-NNNNNN checkpoint. Give the same data and training options as "
                    + "the stopped run; a checkpoint of other data or settings is rejected. steps.jsonl then lists "
                    + "the resumed steps only.")
    private Path resume;

    @Option(names = "--overwrite",
            description = "Replace the model and metrics of an earlier run in --out; without it such an --out is "
                    + "rejected before training.")
    private boolean overwrite;

    @Mixin
    private TrainingOptions training;

    @Override
    public Integer call() throws Exception {
        Path base = baseModel != null ? baseModel : BundledAssets.resolve(BundledAssets.MODEL);
        RewardRunSettings settings = new RewardRunSettings(data, format, evalData,
                evalFormat != null ? evalFormat : format, training.heldOutFraction, training.readOptions(), base, init,
                training.loss, training.template, training.maxTrainPairs, training.trainerConfig(),
                training.evalBatchPairs, training.pluginDir, out);
        RewardRun.Checkpoints checkpoints = new RewardRun.Checkpoints(checkpointEvery, keepCheckpoints, resume);
        new RewardRun(settings, checkpoints, training.cacheDirectory(), spec.commandLine().getOut())
                .allowOverwrite(overwrite).run();
        return 0;
    }
}
