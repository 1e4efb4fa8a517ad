package org.rlhf4j.hardware;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link PlacementPlanner#plan}: where each role runs, what it costs per GPU and
 * why, or, when nothing fits, the closest attempt with an explanation and the changes that would
 * fit.
 *
 * @param cluster the GPUs planned for
 * @param feasible whether every GPU group stays within its usable memory
 * @param roles one placement per role, in pipeline order. When nothing fits, these are the roles
 *     on all GPUs at the most sharded layouts that were tried.
 * @param groups the GPU groups
 * @param usableBytesPerGpu GPU memory less the reserve
 * @param reserveFraction share of each GPU's memory kept free for the CUDA context, allocator
 *     fragmentation and temporary buffers
 * @param recompute the activation recomputation assumed for trainable roles
 * @param optimizerSharding whether the optimizer state is split over data-parallel ranks (ZeRO-1)
 * @param explanation a paragraph on whether the plan fits and why
 * @param suggestions when nothing fits, the single changes that would fit; empty otherwise
 */
public record PlacementPlan(
        Cluster cluster,
        boolean feasible,
        List<RolePlacement> roles,
        List<GpuGroup> groups,
        long usableBytesPerGpu,
        double reserveFraction,
        ActivationRecompute recompute,
        boolean optimizerSharding,
        String explanation,
        List<String> suggestions) {

    public PlacementPlan {
        Objects.requireNonNull(cluster, "cluster");
        roles = List.copyOf(roles);
        groups = List.copyOf(groups);
        Objects.requireNonNull(recompute, "recompute");
        Objects.requireNonNull(explanation, "explanation");
        suggestions = List.copyOf(suggestions);
    }

    /**
     * Finds the placement of a role.
     *
     * @param role the role
     * @return the placement, or empty when the pipeline has no such role
     */
    public Optional<RolePlacement> role(ModelRole role) {
        return roles.stream().filter(placement -> placement.spec().role() == role).findFirst();
    }

    /** Returns the highest peak memory of any GPU group, per GPU. */
    public long peakBytesPerGpu() {
        return groups.stream().mapToLong(GpuGroup::peakBytes).max().orElse(0);
    }

    /**
     * Renders the plan as a text table. It starts with the cluster and the assumptions, then has
     * one row per role with its layout and per-GPU memory in GB and one row per GPU group. The
     * reason for each role, the explanation and any suggestions follow.
     *
     * @return the table, lines ending in {@code \n}
     */
    public String toTable() {
        return PlanFormat.table(this);
    }

    /**
     * Renders the plan as pretty-printed JSON. Memory figures are in bytes.
     *
     * @return the JSON document
     */
    public String toJson() {
        return PlanFormat.json(this);
    }
}
