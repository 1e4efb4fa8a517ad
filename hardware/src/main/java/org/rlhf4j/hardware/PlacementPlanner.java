package org.rlhf4j.hardware;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses where each role of a pipeline runs on a cluster of identical GPUs: its tensor, pipeline
 * and data parallel sizes and which roles share GPUs, or explains why nothing fits and what would.
 *
 * <p>Per-GPU memory of a role is its weights and gradients divided by {@code TP * PP}, its
 * optimizer state divided by {@code TP * PP} and, with optimizer sharding (ZeRO stage 1, on by
 * default), by DP as well, plus the activations of one micro batch divided by TP. Roles that share
 * GPUs run one after another, so their model states add up and only the largest working set
 * (activations or KV cache) counts. A GPU group fits when that sum stays within the GPU memory less
 * a reserve (10% by default). {@link MemoryEstimator} gives the formulas and their sources.
 *
 * <p>Search: fewer GPU groups first, all roles sharing all GPUs before any split. Within a group
 * each role takes the least sharded layout (fewest GPUs per model copy, then the larger TP) that
 * lets the group fit. TP stays within a node (1, 2, 4 or 8 on 8-GPU nodes) and PP divides the
 * number of layers.
 *
 * <pre>{@code
 * List<RoleSpec> roles = PipelineKind.PPO.roles(ModelShape.LLAMA_3_1_70B, 4096, 2);
 * PlacementPlan plan = PlacementPlanner.builder().build()
 *         .plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8), roles);
 * System.out.print(plan.toTable());
 * }</pre>
 */
public final class PlacementPlanner {

    /** Default share of each GPU's memory kept free: 10%. */
    public static final double DEFAULT_RESERVE_FRACTION = 0.10;

    /** Default largest cluster tried when suggesting more nodes: 64 nodes. */
    public static final int DEFAULT_MAX_SUGGESTED_NODES = 64;

    private static final Logger logger = LoggerFactory.getLogger(PlacementPlanner.class);

    private final MemoryEstimator estimator;
    private final double reserveFraction;
    private final ActivationRecompute recompute;
    private final boolean optimizerSharding;
    private final int fixedTensor;
    private final int fixedPipeline;
    private final int maxSuggestedNodes;

    private PlacementPlanner(Builder builder) {
        this.estimator = builder.estimator;
        this.reserveFraction = builder.reserveFraction;
        this.recompute = builder.recompute;
        this.optimizerSharding = builder.optimizerSharding;
        this.fixedTensor = builder.fixedTensor;
        this.fixedPipeline = builder.fixedPipeline;
        this.maxSuggestedNodes = builder.maxSuggestedNodes;
    }

    /**
     * Creates a builder with the default estimator, a 10% reserve, selective activation
     * recomputation, optimizer sharding and no fixed layout.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Plans the roles of a pipeline on a cluster.
     *
     * <p>When nothing fits, the plan shows every role on all GPUs at the most sharded layout
     * tried and explains the shortfall with byte figures. Its suggestions list the single changes
     * that would fit: full activation recomputation, a smaller micro batch, more nodes (up to the
     * configured maximum), a GPU with more memory, or optimizer sharding.
     *
     * @param cluster the GPUs
     * @param roles the roles, each {@link ModelRole} at most once
     * @return the plan
     * @throws IllegalArgumentException when {@code roles} is empty or repeats a role, or when the
     *     fixed layout cannot be used for a role on this cluster
     */
    public PlacementPlan plan(Cluster cluster, List<RoleSpec> roles) {
        PlacementPlan plan = planOnly(cluster, roles);
        if (plan.feasible()) {
            return plan;
        }
        List<String> suggestions = suggestions(cluster, roles);
        return new PlacementPlan(plan.cluster(), false, plan.roles(), plan.groups(), plan.usableBytesPerGpu(),
                reserveFraction, recompute, optimizerSharding, plan.explanation(), suggestions);
    }

    /**
     * Returns the usable memory of one GPU: its memory less the reserve.
     *
     * @param gpu the GPU model
     * @return bytes
     */
    public long usableBytes(GpuSpec gpu) {
        return (long) Math.floor(gpu.memoryBytes() * (1 - reserveFraction));
    }

    private PlacementPlan planOnly(Cluster cluster, List<RoleSpec> roles) {
        Objects.requireNonNull(cluster, "cluster");
        validate(cluster, roles);
        RoleCosting costing = new RoleCosting(estimator, recompute, optimizerSharding);
        long usable = usableBytes(cluster.gpu());
        int[] fixed = fixedTensor > 0 ? new int[] {fixedTensor, fixedPipeline} : null;
        GroupSolver solver = new GroupSolver(costing, cluster.gpusPerNode(), usable, fixed);
        long stateBytes = roles.stream().mapToLong(role -> costing.memory(role).totalBytes()).sum();
        long minActivationBytes = roles.stream()
                .mapToLong(role -> costing.minActivationBytes(role, cluster.gpusPerNode())).max().orElse(0);
        PlanSearch search = new PlanSearch(cluster, roles, solver, stateBytes, minActivationBytes, usable);
        Optional<PlanSearch.Assignment> best = search.best();
        PlanSearch.Assignment assignment = best.orElseGet(search::colocated);
        logger.debug("Planned {} roles on {}: {}", roles.size(), cluster, best.isPresent() ? "fits" : "does not fit");
        return toPlan(cluster, roles, assignment, best.isPresent(), costing, usable);
    }

    private void validate(Cluster cluster, List<RoleSpec> roles) {
        Objects.requireNonNull(roles, "roles");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("A plan needs at least one role");
        }
        Set<ModelRole> seen = EnumSet.noneOf(ModelRole.class);
        for (RoleSpec role : roles) {
            if (!seen.add(role.role())) {
                throw new IllegalArgumentException("Role " + role.name() + " appears twice; each role may appear once");
            }
            if (fixedTensor > 0) {
                String reason = RoleCosting.invalidLayoutReason(role, fixedTensor, fixedPipeline, cluster);
                if (reason != null) {
                    throw new IllegalArgumentException("Invalid layout TP " + fixedTensor + " x PP " + fixedPipeline
                            + " for " + role.name() + ": " + reason);
                }
            }
        }
    }

    private PlacementPlan toPlan(Cluster cluster, List<RoleSpec> roles, PlanSearch.Assignment assignment,
            boolean feasible, RoleCosting costing, long usable) {
        RolePlacement[] placements = new RolePlacement[roles.size()];
        List<GpuGroup> groups = new ArrayList<>();
        int firstGpu = 0;
        for (int g = 0; g < assignment.groups().size(); g++) {
            GroupSolution solution = assignment.solutions().get(g);
            int gpus = assignment.sizes().get(g);
            GpuGroup group = new GpuGroup(g + 1, firstGpu, gpus,
                    solution.roles().stream().map(RoleSpec::name).toList(), solution.stateBytes(),
                    solution.workingBytes(), usable);
            groups.add(group);
            for (int i = 0; i < solution.roles().size(); i++) {
                int roleIndex = assignment.groups().get(g).get(i);
                placements[roleIndex] = placement(solution, i, group, costing);
            }
            firstGpu += gpus;
        }
        String explanation = feasible
                ? PlanText.feasibleExplanation(cluster, groups, usable, reserveFraction)
                : PlanText.infeasibleExplanation(cluster, roles, roles.stream().map(costing::memory).toList(),
                        assignment.solutions().get(0), reserveFraction);
        return new PlacementPlan(cluster, feasible, List.of(placements), groups, usable, reserveFraction, recompute,
                optimizerSharding, explanation, List.of());
    }

    private RolePlacement placement(GroupSolution solution, int index, GpuGroup group, RoleCosting costing) {
        RoleSpec spec = solution.roles().get(index);
        RoleCost cost = solution.chosen().get(index);
        RoleMemory memory = costing.memory(spec);
        String why = PlanText.roleWhy(spec, memory, cost, solution.rejected().get(index), solution,
                group.gpuRange(), fixedTensor > 0, costing);
        return new RolePlacement(spec, memory.parameters(), memory.totalBytes(), cost.parallelism(), group.index(),
                group.firstGpu(), group.gpuCount(), cost.weightBytes(), cost.gradientBytes(), cost.optimizerBytes(),
                cost.activationBytes(), cost.kvCacheBytes(), why);
    }

    private List<String> suggestions(Cluster cluster, List<RoleSpec> roles) {
        List<String> suggestions = new ArrayList<>();
        if (recompute != ActivationRecompute.FULL) {
            PlacementPlan full = toBuilder().optActivationRecompute(ActivationRecompute.FULL).build()
                    .planOnly(cluster, roles);
            if (full.feasible()) {
                suggestions.add("Full activation recomputation fits: " + PlanText.layoutSummary(full) + ".");
            }
        }
        if (!optimizerSharding) {
            PlacementPlan sharded = toBuilder().optOptimizerSharding(true).build().planOnly(cluster, roles);
            if (sharded.feasible()) {
                suggestions.add("Splitting the optimizer state over data-parallel ranks (ZeRO-1) fits: "
                        + PlanText.layoutSummary(sharded) + ".");
            }
        }
        smallerMicroBatch(cluster, roles).ifPresent(suggestions::add);
        moreNodes(cluster, roles).ifPresent(suggestions::add);
        for (GpuSpec gpu : GpuCatalog.all()) {
            if (gpu.memoryGb() > cluster.gpu().memoryGb()) {
                PlacementPlan bigger = planOnly(cluster.withGpu(gpu), roles);
                if (bigger.feasible()) {
                    suggestions.add(gpu.displayName() + " GPUs (" + gpu.name() + ") fit on the same "
                            + (cluster.nodes() == 1 ? "node" : cluster.nodes() + " nodes") + ": "
                            + PlanText.layoutSummary(bigger) + ".");
                }
            }
        }
        if (suggestions.isEmpty()) {
            suggestions.add("Nothing tried fits: full activation recomputation, micro batches down to 1, up to "
                    + maxSuggestedNodes + " nodes, and every catalog GPU with more memory. Use a smaller model"
                    + " or shorter sequences.");
        }
        return suggestions;
    }

    private Optional<String> smallerMicroBatch(Cluster cluster, List<RoleSpec> roles) {
        int largest = roles.stream().mapToInt(RoleSpec::microBatch).max().orElse(1);
        for (int micro = largest / 2; micro >= 1; micro /= 2) {
            int cap = micro;
            List<RoleSpec> smaller = roles.stream().map(role -> role.withMicroBatch(Math.min(role.microBatch(), cap)))
                    .toList();
            PlacementPlan plan = planOnly(cluster, smaller);
            if (plan.feasible()) {
                return Optional.of("A micro batch of " + micro + (micro == 1 ? " sequence" : " sequences") + " fits: "
                        + PlanText.layoutSummary(plan) + ".");
            }
        }
        return Optional.empty();
    }

    private Optional<String> moreNodes(Cluster cluster, List<RoleSpec> roles) {
        for (int nodes = cluster.nodes() + 1; nodes <= maxSuggestedNodes; nodes++) {
            Cluster larger = cluster.withNodes(nodes);
            if (fixedTensor > 0 && larger.gpuCount() % (fixedTensor * fixedPipeline) != 0) {
                continue;
            }
            PlacementPlan plan = planOnly(larger, roles);
            if (plan.feasible()) {
                return Optional.of(nodes + " nodes fit: " + PlanText.layoutSummary(plan) + ".");
            }
        }
        return Optional.empty();
    }

    private Builder toBuilder() {
        Builder builder = new Builder();
        builder.estimator = estimator;
        builder.reserveFraction = reserveFraction;
        builder.recompute = recompute;
        builder.optimizerSharding = optimizerSharding;
        builder.fixedTensor = fixedTensor;
        builder.fixedPipeline = fixedPipeline;
        builder.maxSuggestedNodes = maxSuggestedNodes;
        return builder;
    }

    /** Builder of {@link PlacementPlanner}. */
    public static final class Builder {

        private MemoryEstimator estimator = MemoryEstimator.builder().build();
        private double reserveFraction = DEFAULT_RESERVE_FRACTION;
        private ActivationRecompute recompute = ActivationRecompute.SELECTIVE;
        private boolean optimizerSharding = true;
        private int fixedTensor;
        private int fixedPipeline;
        private int maxSuggestedNodes = DEFAULT_MAX_SUGGESTED_NODES;

        private Builder() {}

        /**
         * Sets the estimator of model state, activations and KV cache. Default: bfloat16 weights
         * and activations with float32 master weights.
         *
         * @param value the estimator
         * @return this builder
         */
        public Builder optEstimator(MemoryEstimator value) {
            this.estimator = Objects.requireNonNull(value, "estimator");
            return this;
        }

        /**
         * Sets the share of each GPU's memory kept free for the CUDA context, allocator
         * fragmentation and temporary buffers. Default: 0.10.
         *
         * @param fraction from 0 (inclusive) to 0.9 (inclusive)
         * @return this builder
         * @throws IllegalArgumentException when {@code fraction} is outside that range
         */
        public Builder optReserveFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 0.9)) {
                throw new IllegalArgumentException("reserve fraction must be between 0 and 0.9, got " + fraction);
            }
            this.reserveFraction = fraction;
            return this;
        }

        /**
         * Sets the activation recomputation of trainable roles. Default:
         * {@link ActivationRecompute#SELECTIVE}.
         *
         * @param value the recomputation
         * @return this builder
         */
        public Builder optActivationRecompute(ActivationRecompute value) {
            this.recompute = Objects.requireNonNull(value, "recompute");
            return this;
        }

        /**
         * Sets whether the optimizer state (AdamW moments and float32 master weights) is split over
         * the data-parallel ranks, as ZeRO stage 1 and Megatron's distributed optimizer do. Weights
         * and gradients are never split over DP. Default: true.
         *
         * @param value true to split
         * @return this builder
         */
        public Builder optOptimizerSharding(boolean value) {
            this.optimizerSharding = value;
            return this;
        }

        /**
         * Makes every role use one tensor and pipeline parallel size, to check a known layout
         * instead of choosing one. DP fills the rest of each role's GPUs. Default: the planner chooses.
         *
         * @param tensor tensor parallel size, at least 1
         * @param pipeline pipeline parallel size, at least 1
         * @return this builder
         * @throws IllegalArgumentException when a size is below 1
         */
        public Builder optFixedLayout(int tensor, int pipeline) {
            if (tensor < 1 || pipeline < 1) {
                throw new IllegalArgumentException("tensor and pipeline parallel sizes must be at least 1, got TP "
                        + tensor + " x PP " + pipeline);
            }
            this.fixedTensor = tensor;
            this.fixedPipeline = pipeline;
            return this;
        }

        /**
         * Sets the largest number of nodes tried when suggesting more nodes. Default: 64.
         *
         * @param nodes at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code nodes} is below 1
         */
        public Builder optMaxSuggestedNodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("max suggested nodes must be at least 1, got " + nodes);
            }
            this.maxSuggestedNodes = nodes;
            return this;
        }

        /** Builds the planner. */
        public PlacementPlanner build() {
            return new PlacementPlanner(this);
        }
    }
}
