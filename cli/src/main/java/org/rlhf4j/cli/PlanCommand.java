package org.rlhf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.rlhf4j.evaluation.internal.AtomicFiles;
import org.rlhf4j.hardware.ActivationRecompute;
import org.rlhf4j.hardware.Cluster;
import org.rlhf4j.hardware.GpuCatalog;
import org.rlhf4j.hardware.ModelRole;
import org.rlhf4j.hardware.ModelShape;
import org.rlhf4j.hardware.PipelineKind;
import org.rlhf4j.hardware.PlacementPlan;
import org.rlhf4j.hardware.PlacementPlanner;
import org.rlhf4j.hardware.RoleSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Plans where the models of a pipeline run on a cluster of identical GPUs, prints the plan as a
 * table and optionally writes it as JSON. Exits with 0 when the plan fits and 3 when it does not.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Plans tensor, pipeline and data parallel sizes for each model of a pipeline and which models share"
                    + " GPUs, from estimates of weights, gradients, AdamW state, activations and KV cache.",
            "Prints a table with the memory per GPU and the reason for each layout; when nothing fits it says why,"
                    + " with byte figures, and which single change would fit."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the plan fits",
            "2:invalid input (unknown GPU, model, pipeline or role, an unreadable model config, an invalid layout)",
            "3:the plan does not fit"})
public final class PlanCommand implements Callable<Integer> {

    /** Exit status when the pipeline does not fit on the cluster. */
    public static final int EXIT_DOES_NOT_FIT = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--gpu", paramLabel = "NAME", defaultValue = "h100-80gb-sxm",
            description = "GPU model: a100-40gb-sxm, a100-80gb-sxm, a100-80gb-pcie, h100-80gb-sxm, h100-80gb-pcie"
                    + " or h200-141gb-sxm (default: ${DEFAULT-VALUE}).")
    private String gpu;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
            description = "Number of nodes (default: ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--gpus-per-node", paramLabel = "N", defaultValue = "8",
            description = "GPUs per node; tensor parallel groups stay within a node (default: ${DEFAULT-VALUE}).")
    private int gpusPerNode;

    @Option(names = "--pipeline", paramLabel = "NAME", defaultValue = "reward",
            description = "Models to place: reward or bt (one trainable reward model), dpo (policy and frozen"
                    + " reference), reinforce (generating policy, frozen reference and reward model) or ppo"
                    + " (reinforce plus a trainable critic) (default: ${DEFAULT-VALUE}).")
    private String pipeline;

    @Option(names = "--model", paramLabel = "PRESET|FILE", defaultValue = "llama-3.1-70b",
            description = "Model of every role: llama-3.1-8b, llama-3.1-70b, llama-3.1-405b, or a Hugging Face"
                    + " config.json file or its folder (default: ${DEFAULT-VALUE}).")
    private String model;

    @Option(names = "--role-model", paramLabel = "ROLE=MODEL",
            description = "Model of one role (policy, reference, reward or critic), overriding --model;"
                    + " repeat for several roles.")
    private Map<String, String> roleModels = new LinkedHashMap<>();

    @Option(names = "--seq-len", paramLabel = "TOKENS", defaultValue = "4096",
            description = "Tokens per sequence, prompt and response together (default: ${DEFAULT-VALUE}).")
    private int sequenceLength;

    @Option(names = "--micro-batch", paramLabel = "SEQUENCES", defaultValue = "2",
            description = "Sequences per forward pass; a preference pair counts as two (default: ${DEFAULT-VALUE}).")
    private int microBatch;

    @Option(names = "--recompute", paramLabel = "MODE", defaultValue = "selective",
            description = "Activation recomputation of trainable models: none, selective or full"
                    + " (default: ${DEFAULT-VALUE}).")
    private String recompute;

    @Option(names = "--reserve", paramLabel = "FRACTION", defaultValue = "0.10",
            description = "Share of each GPU's memory kept free for the CUDA context and fragmentation"
                    + " (default: ${DEFAULT-VALUE}).")
    private double reserve;

    @Option(names = "--no-optimizer-sharding",
            description = "Keep the whole optimizer state on every data-parallel rank instead of splitting it"
                    + " (ZeRO-1).")
    private boolean noOptimizerSharding;

    @Option(names = "--tp", paramLabel = "N",
            description = "Check this tensor parallel size for every role instead of choosing one (with --pp;"
                    + " default PP 1).")
    private Integer tensorParallel;

    @Option(names = "--pp", paramLabel = "N",
            description = "Check this pipeline parallel size for every role (with --tp; default TP 1).")
    private Integer pipelineParallel;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the plan as JSON, with memory in bytes; the file is replaced atomically.")
    private Path json;

    @Override
    public Integer call() throws IOException {
        PipelineKind kind = PipelineKind.fromLabel(pipeline);
        Map<ModelRole, ModelShape> shapes = shapes(kind);
        List<RoleSpec> roles = kind.roles(shapes::get, sequenceLength, microBatch);
        Cluster cluster = new Cluster(GpuCatalog.byName(gpu), nodes, gpusPerNode);
        PlacementPlan plan = planner().plan(cluster, roles);

        PrintWriter out = spec.commandLine().getOut();
        out.print(plan.toTable());
        if (!plan.feasible()) {
            out.println("Options that make these changes: --recompute full, --micro-batch, --nodes, --gpu.");
        }
        if (json != null) {
            AtomicFiles.writeString(json, plan.toJson());
            out.println("Wrote " + json);
        }
        out.flush();
        return plan.feasible() ? 0 : EXIT_DOES_NOT_FIT;
    }

    private PlacementPlanner planner() {
        PlacementPlanner.Builder builder = PlacementPlanner.builder()
                .optReserveFraction(reserve)
                .optActivationRecompute(ActivationRecompute.fromLabel(recompute))
                .optOptimizerSharding(!noOptimizerSharding);
        if (tensorParallel != null || pipelineParallel != null) {
            builder.optFixedLayout(tensorParallel != null ? tensorParallel : 1,
                    pipelineParallel != null ? pipelineParallel : 1);
        }
        return builder.build();
    }

    private Map<ModelRole, ModelShape> shapes(PipelineKind kind) throws IOException {
        List<ModelRole> pipelineRoles = kind.modelRoles();
        ModelShape common = ModelShape.resolve(model);
        Map<ModelRole, ModelShape> shapes = new EnumMap<>(ModelRole.class);
        for (ModelRole role : ModelRole.values()) {
            shapes.put(role, common);
        }
        for (Map.Entry<String, String> entry : roleModels.entrySet()) {
            ModelRole role = parseRole(entry.getKey());
            if (!pipelineRoles.contains(role)) {
                throw new IllegalArgumentException("Pipeline " + kind.label() + " has no role '" + entry.getKey()
                        + "'; its roles are " + names(pipelineRoles));
            }
            shapes.put(role, ModelShape.resolve(entry.getValue()));
        }
        return shapes;
    }

    private static ModelRole parseRole(String name) {
        for (ModelRole role : ModelRole.values()) {
            if (role.name().equalsIgnoreCase(name.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException("Invalid role '" + name + "' for --role-model; expected one of: "
                + names(List.of(ModelRole.values())));
    }

    private static String names(List<ModelRole> roles) {
        return roles.stream().map(role -> role.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
