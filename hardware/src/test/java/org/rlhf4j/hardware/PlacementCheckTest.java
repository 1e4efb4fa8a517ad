package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlacementCheckTest {

    @Test
    void fittingPlanIsReturned() {
        PlacementPlan plan = PlacementCheck.requireFits(Cluster.of(GpuCatalog.H100_80GB_SXM, 8),
                PipelineKind.REWARD.roles(ModelShape.LLAMA_3_1_70B, 4096, 2));

        assertThat(plan.feasible()).isTrue();
    }

    @Test
    void planThatDoesNotFitIsRefused() {
        Cluster oneNode = Cluster.of(GpuCatalog.H100_80GB_SXM, 1);

        assertThatThrownBy(() -> PlacementCheck.requireFits(oneNode,
                PipelineKind.PPO.roles(ModelShape.LLAMA_3_1_70B, 4096, 2)))
                .isInstanceOf(PlacementException.class)
                .hasMessageStartingWith("Does not fit on 1 node x 8 H100 80GB SXM.")
                .hasMessageContaining("2,521.0 GB")
                .hasMessageContaining("What would fit: 8 nodes fit");
    }

    @Test
    void exceptionKeepsThePlan() {
        PlacementPlan plan = PlacementPlanner.builder().build().plan(Cluster.of(GpuCatalog.A100_40GB_SXM, 1),
                PipelineKind.DPO.roles(ModelShape.LLAMA_3_1_70B, 4096, 2));

        PlacementException refused = new PlacementException(plan);

        assertThat(refused.plan()).isSameAs(plan);
        assertThat(plan.feasible()).isFalse();
    }
}
