package org.rlhf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginKind;
import org.rlhf4j.plugins.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Aligns the bundled (or a given) policy with DPO, IPO, margin-DPO, scaled-DPO, PPO or REINFORCE and
 * writes the measurements, the per-step curves and the trained weights.
 */
@Command(name = "align", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Aligns a policy with a policy-optimizer plugin and reports how far it moved.",
            "Online algorithms (ppo, reinforce) sample responses to prompts and learn from a reward model: "
                    + "--reward-model, or without it one trained first on --data into OUT/reward-model, as the "
                    + "demo command trains it. They report the mean reward of samples for held-out prompts "
                    + "before and after training and the KL to the starting policy.",
            "Offline algorithms (dpo, ipo, margin-dpo, scaled-dpo) learn from the preference pairs in --data "
                    + "and report held-out preference accuracy before and after.",
            "Writes metrics.json, steps.jsonl, reward.png, kl.png (online) or loss.png (offline) and "
                    + "policy.safetensors into --out. Needs no download and no GPU."
        })
final class AlignCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--algorithm", paramLabel = "NAME", required = true,
            description = "Policy-optimizer plugin: dpo, ipo, margin-dpo, scaled-dpo, ppo, reinforce or a "
                    + "third-party name.")
    String algorithm;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/align",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--base-model", paramLabel = "GGUF",
            description = "Policy to start from, in GGUF format (default: the bundled stories260K model).")
    Path baseModel;

    @Option(names = "--data", paramLabel = "FILE",
            description = "Preference pairs: their prompts are the prompts of online runs, the pairs train DPO "
                    + "and a missing reward model (default: the bundled instruction-preference file).")
    Path data;

    @Option(names = "--format", paramLabel = "NAME", defaultValue = "instruction-preference",
            description = "Data-source plugin that reads --data (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--held-out", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Share of --data held out for the before and after measurements, split by --seed "
                    + "as train-reward splits it (default: ${DEFAULT-VALUE}).")
    double heldOut;

    @Option(names = "--reward-model", paramLabel = "DIR",
            description = "Reward model saved by train-reward (its model folder) that scores ppo and reinforce "
                    + "samples. Without it a reward model is trained on --data first.")
    Path rewardModel;

    @Option(names = "--reward-steps", paramLabel = "N", defaultValue = "0",
            description = "Optimizer steps of the reward model trained when --reward-model is absent; 0 trains "
                    + "2 epochs as the demo does (default: ${DEFAULT-VALUE}).")
    long rewardSteps;

    @Option(names = "--steps", paramLabel = "N",
            description = "Optimizer steps (default: 20 for reinforce and the DPO-family algorithms, 12 for ppo).")
    Integer steps;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Peak learning rate (default: 3e-4 for ppo and reinforce, 2e-3 for DPO-family).")
    Double learningRate;

    @Option(names = "--beta", paramLabel = "B",
            description = "KL coefficient: the penalty on the KL to the reference for ppo and reinforce "
                    + "(default: 0.01), the implicit-reward scale for DPO-family algorithms (default: 0.1).")
    Double beta;

    @Option(names = "--kl-estimator", paramLabel = "NAME", defaultValue = "abs-k1",
            description = "Per-token KL estimate of ppo and reinforce: k1, abs-k1 or k3 (default: ${DEFAULT-VALUE}).")
    String klEstimator;

    @Option(names = "--kl-placement", paramLabel = "WHERE", defaultValue = "reward",
            description = "Where the KL penalty applies: reward (subtracted from the reward) or loss (added to "
                    + "the loss) (default: ${DEFAULT-VALUE}).")
    String klPlacement;

    @Option(names = {"-k", "--samples-per-prompt"}, paramLabel = "K",
            description = "Responses sampled per prompt and step (default: 4 for reinforce, 2 for ppo).")
    Integer samplesPerPrompt;

    @Option(names = "--prompts-per-step", paramLabel = "N",
            description = "Prompts per step (default: 4 for reinforce, 8 for ppo).")
    Integer promptsPerStep;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "32",
            description = "Longest sampled response in tokens (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--stop-piece", paramLabel = "PIECE", defaultValue = ".",
            description = "Responses end at the first token with this vocabulary piece; an empty value uses "
                    + "the model's end-of-sequence token. The bundled stories model rarely samples its own, so "
                    + "the default ends responses at a full stop (default: ${DEFAULT-VALUE}).")
    String stopPiece;

    @Option(names = "--max-prompt-tokens", paramLabel = "N", defaultValue = "40",
            description = "Online runs keep only prompts of at most N tokens, BOS included (default: "
                    + "${DEFAULT-VALUE}).")
    int maxPromptTokens;

    @Option(names = "--eval-prompts", paramLabel = "N", defaultValue = "16",
            description = "Held-out prompts of the before and after measurement of online runs "
                    + "(default: ${DEFAULT-VALUE}).")
    int evalPrompts;

    @Option(names = "--eval-samples", paramLabel = "N", defaultValue = "4",
            description = "Responses per held-out prompt in that measurement (default: ${DEFAULT-VALUE}).")
    int evalSamples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the data split, the sampling and the batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", paramLabel = "N",
            description = "DPO-family: passes over the training pairs, instead of --steps.")
    Integer epochs;

    @Option(names = "--device", paramLabel = "NAME", defaultValue = "cpu",
            description = "Device for the policy, its reference, the reward model and the critic: cpu or cuda:N "
                    + "(default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--ppo-epochs", paramLabel = "N", defaultValue = "2",
            description = "PPO: optimisation passes over each rollout batch (default: ${DEFAULT-VALUE}).")
    int ppoEpochs;

    @Option(names = "--skip-bad-records",
            description = "Skip and count malformed records of --data instead of stopping at the first one.")
    boolean skipBadRecords;

    @Option(names = "--batch", paramLabel = "PAIRS", defaultValue = "16",
            description = "DPO-family: pairs per optimizer step (default: ${DEFAULT-VALUE}).")
    int batchPairs;

    @Option(names = "--sft-weight", paramLabel = "W", defaultValue = "0",
            description = "DPO-family: weight of the chosen responses' negative log-likelihood added to the "
                    + "loss (default: ${DEFAULT-VALUE}).")
    double sftWeight;

    @Option(names = "--per-token-mean",
            description = "DPO-family: use per-token means of the log-ratios instead of sums (IPO uses means "
                    + "either way).")
    boolean perTokenMean;

    @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "128",
            description = "DPO-family: longest pair sequence in tokens; longer pairs are dropped "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = "Folder of third-party plugin jars, each loaded as its own module layer.")
    Path pluginDir;

    @Override
    public Integer call() throws Exception {
        PluginRegistry registry = PluginDiscovery.builder().optPluginFolder(pluginDir).build().discover();
        if (registry.find(PluginKind.POLICY_OPTIMIZER, algorithm).isEmpty()) {
            throw new IllegalArgumentException("--algorithm '" + algorithm + "' is not a known policy optimizer;"
                    + " known: " + String.join(", ", registry.names(PluginKind.POLICY_OPTIMIZER)));
        }
        if (rewardModel != null && Files.isRegularFile(rewardModel)) {
            throw new IllegalArgumentException("--reward-model " + rewardModel + " is a file; expected the model "
                    + "folder that train-reward writes (OUT/model)");
        }
        if (rewardModel != null && !Files.isDirectory(rewardModel)) {
            throw new IllegalArgumentException("--reward-model folder " + rewardModel + " does not exist");
        }
        new AlignRun(this, registry, spec.commandLine().getOut()).run();
        return 0;
    }
}
