package org.rlhf4j.hardware;

import java.util.List;
import java.util.Objects;

/**
 * Refuses to start a pipeline whose roles cannot fit on the given GPUs. Pipeline builders call it
 * before loading any model.
 *
 * <pre>{@code
 * PlacementPlan plan = PlacementCheck.requireFits(Cluster.of(GpuCatalog.H100_80GB_SXM, 1),
 *         PipelineKind.PPO.roles(ModelShape.LLAMA_3_1_70B, 4096, 2));
 * }</pre>
 */
public final class PlacementCheck {

    private PlacementCheck() {}

    /**
     * Plans the roles with the default planner settings and returns the plan when it fits.
     *
     * @param cluster the GPUs
     * @param roles the pipeline's roles
     * @return the plan
     * @throws PlacementException when nothing fits. The message gives the byte figures and what would fit.
     */
    public static PlacementPlan requireFits(Cluster cluster, List<RoleSpec> roles) {
        return requireFits(PlacementPlanner.builder().build().plan(cluster, roles));
    }

    /**
     * Returns the plan when it fits.
     *
     * @param plan a plan from {@link PlacementPlanner#plan}
     * @return the same plan
     * @throws PlacementException when the plan does not fit
     */
    public static PlacementPlan requireFits(PlacementPlan plan) {
        Objects.requireNonNull(plan, "plan");
        if (!plan.feasible()) {
            throw new PlacementException(plan);
        }
        return plan;
    }
}
