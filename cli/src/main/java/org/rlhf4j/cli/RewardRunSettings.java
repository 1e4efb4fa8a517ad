package org.rlhf4j.cli;

import java.nio.file.Path;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.api.data.ReadOptions;

/**
 * Everything one reward-model run needs: where the pairs come from, how they are split, which model
 * and loss to start from, the trainer settings and where results go.
 *
 * @param dataFile training pairs
 * @param format data-source plugin name for {@code dataFile}
 * @param evalFile held-out pairs, or null to hold out {@code heldOutFraction} of {@code dataFile}
 * @param evalFormat data-source plugin name for {@code evalFile}
 * @param heldOutFraction share of {@code dataFile} kept for evaluation when {@code evalFile} is null
 * @param readOptions how readers treat bad records and ties
 * @param baseModel GGUF file of the pretrained decoder, used when {@code initCheckpoint} is null
 * @param initCheckpoint saved reward model to continue from, or null
 * @param lossName reward-loss plugin name
 * @param templateName chat template name ({@code plain} or {@code extra-id})
 * @param maxTrainPairs keep at most this many training pairs, 0 for all
 * @param trainer optimizer, schedule, batch and truncation settings
 * @param evalBatchPairs pairs per evaluation batch
 * @param pluginDir folder of third-party plugin jars, or null
 * @param outDir folder that receives the model, metrics and plots
 */
record RewardRunSettings(
        Path dataFile,
        String format,
        Path evalFile,
        String evalFormat,
        double heldOutFraction,
        ReadOptions readOptions,
        Path baseModel,
        Path initCheckpoint,
        String lossName,
        String templateName,
        int maxTrainPairs,
        RewardTrainerConfig trainer,
        int evalBatchPairs,
        Path pluginDir,
        Path outDir) {

    RewardRunSettings {
        if (evalFile == null && !(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException(
                    "--held-out must be between 0 and 1 (exclusive) when no --eval-data is given, got " + heldOutFraction);
        }
        if (maxTrainPairs < 0) {
            throw new IllegalArgumentException("--max-pairs must be >= 0, got " + maxTrainPairs);
        }
        if (evalBatchPairs < 1) {
            throw new IllegalArgumentException("--eval-batch must be >= 1, got " + evalBatchPairs);
        }
    }
}
