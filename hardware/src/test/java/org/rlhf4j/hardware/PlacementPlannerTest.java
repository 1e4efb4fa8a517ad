package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Placement of the reference runs: nodes of 8 x 80 GB GPUs, Llama 3.1 70B, 4,096 tokens and a
 * micro batch of 2 sequences, bf16 weights with AdamW (16 bytes per trainable parameter).
 */
class PlacementPlannerTest {

    /** Llama 3.1 70B with a one-output head instead of the 128,256-token output projection. */
    private static final long REWARD_70B_PARAMETERS = 69_503_041_537L;

    private static final ModelShape LLAMA_70B = ModelShape.LLAMA_3_1_70B;

    private final PlacementPlanner planner = PlacementPlanner.builder().build();

    @Test
    void regressionRewardModelFitsOnEightNodesWithTp8Pp2() {
        PlacementPlan plan = PlacementPlanner.builder().optFixedLayout(8, 2).build()
                .plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8), PipelineKind.REWARD.roles(LLAMA_70B, 4096, 2));

        assertThat(plan.feasible()).as(plan.explanation()).isTrue();
        RolePlacement reward = plan.roles().get(0);
        assertThat(reward.parameters()).isEqualTo(REWARD_70B_PARAMETERS);
        assertThat(reward.parallelism()).isEqualTo(new Parallelism(8, 2, 4));
        // weights: 2 bytes * 69,503,041,537 / 16 = 8,687,880,192.1, rounded up
        assertThat(reward.weightBytes()).isEqualTo(8_687_880_193L);
        assertThat(reward.gradientBytes()).isEqualTo(8_687_880_193L);
        // moments and master weights: 12 bytes * 69,503,041,537 / (16 * DP 4) = 13,031,820,288.2
        assertThat(reward.optimizerBytes()).isEqualTo(13_031_820_289L);
        // (80 layers * 34*s*b*h + 4*s*b*h) / TP 8 with s*b*h = 4096 * 2 * 8192 = 67,108,864
        assertThat(reward.activationBytes()).isEqualTo(22_850_568_192L);
        assertThat(reward.totalBytes()).isEqualTo(53_258_148_867L);
        assertThat(plan.groups().get(0).usableBytes()).isEqualTo(72_000_000_000L);
    }

    @Test
    void scaledBtFitsOnFourNodesWithTp8Pp4() {
        PlacementPlan plan = PlacementPlanner.builder().optFixedLayout(8, 4).build()
                .plan(Cluster.of(GpuCatalog.A100_80GB_SXM, 4), PipelineKind.BT.roles(LLAMA_70B, 4096, 2));

        assertThat(plan.feasible()).as(plan.explanation()).isTrue();
        RolePlacement reward = plan.roles().get(0);
        assertThat(reward.parallelism()).isEqualTo(new Parallelism(8, 4, 1));
        // 2 bytes * P / 32 = 4,343,940,096.1; 12 bytes * P / 32 (DP 1 cannot split) = 26,063,640,576.4
        assertThat(reward.weightBytes()).isEqualTo(4_343_940_097L);
        assertThat(reward.optimizerBytes()).isEqualTo(26_063_640_577L);
        assertThat(reward.totalBytes()).isEqualTo(57_602_088_963L);
    }

    @Test
    void referenceLayoutsAlsoFitOnTheOtherGpu() {
        PlacementPlan regression = PlacementPlanner.builder().optFixedLayout(8, 2).build()
                .plan(Cluster.of(GpuCatalog.A100_80GB_SXM, 8), PipelineKind.REWARD.roles(LLAMA_70B, 4096, 2));
        PlacementPlan bt = PlacementPlanner.builder().optFixedLayout(8, 4).build()
                .plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 4), PipelineKind.BT.roles(LLAMA_70B, 4096, 2));

        assertThat(regression.feasible()).isTrue();
        assertThat(bt.feasible()).isTrue();
    }

    @Test
    void plannerChoosesTp8Pp1ForRegressionOnEightNodes() {
        PlacementPlan plan = planner.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8),
                PipelineKind.REWARD.roles(LLAMA_70B, 4096, 2));

        // TP 8 x PP 1 x DP 8: 4 bytes * P / 8 + 12 bytes * P / 64 + 22.85 GB = 70.6 GB of 72 GB
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.roles().get(0).parallelism()).isEqualTo(new Parallelism(8, 1, 8));
        assertThat(plan.roles().get(0).why()).contains("TP 4 x PP 1 needed 128.2 GB per GPU");
    }

    @Test
    void plannerChoosesTp8Pp2ForBtOnFourNodes() {
        PlacementPlan plan = planner.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 4),
                PipelineKind.BT.roles(LLAMA_70B, 4096, 2));

        // TP 8 x PP 1 x DP 4 needs 83.7 GB; TP 8 x PP 2 x DP 2 needs 66.3 GB
        assertThat(plan.roles().get(0).parallelism()).isEqualTo(new Parallelism(8, 2, 2));
        assertThat(plan.roles().get(0).why()).contains("TP 8 x PP 1 needed 83.7 GB per GPU");
    }

    @Test
    void ppoWithFourRolesDoesNotFitOnOneNode() {
        PlacementPlan plan = planner.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 1),
                PipelineKind.PPO.roles(LLAMA_70B, 4096, 2));

        assertThat(plan.feasible()).isFalse();
        // policy 16 * 70,553,706,496; reference 2 * 70,553,706,496; reward 2 * P; critic 16 * P
        assertThat(plan.explanation())
                .contains("need 2,521.0 GB before sharding")
                .contains("policy 1,128.9 GB, reference 141.1 GB, reward 139.0 GB, critic 1,112.0 GB")
                .contains("640.0 GB of GPU memory, 576.0 GB after the 10% reserve")
                .contains("model state alone is larger than that")
                .contains("one GPU would need 338.5 GB: 315.1 GB of model state");
        assertThat(plan.groups()).hasSize(1);
        assertThat(plan.groups().get(0).fits()).isFalse();
        assertThat(plan.suggestions()).anyMatch(line -> line.startsWith("8 nodes fit"));
    }

    @Test
    void ppoOnEightNodesSharesAllGpus() {
        PlacementPlan plan = planner.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8),
                PipelineKind.PPO.roles(LLAMA_70B, 4096, 2));

        assertThat(plan.feasible()).isTrue();
        assertThat(plan.groups()).hasSize(1);
        assertThat(plan.groups().get(0).roles()).containsExactly("policy", "reference", "reward", "critic");
        assertThat(plan.peakBytesPerGpu()).isLessThanOrEqualTo(72_000_000_000L);
        assertThat(plan.role(ModelRole.POLICY).orElseThrow().kvCacheBytes()).isPositive();
    }

    @Test
    void smallModelFitsOnOneGpu() throws Exception {
        ModelShape small = ModelShape.fromConfigJson(
                java.nio.file.Path.of(getClass().getResource("/configs/llama-3.2-1b/config.json").toURI()));
        Cluster oneGpu = new Cluster(GpuCatalog.H100_80GB_SXM, 1, 1);

        PlacementPlan plan = planner.plan(oneGpu, PipelineKind.BT.roles(small, 2048, 4));

        assertThat(plan.feasible()).isTrue();
        RolePlacement reward = plan.roles().get(0);
        assertThat(reward.parallelism()).isEqualTo(new Parallelism(1, 1, 1));
        // tied embeddings stay as the input embedding: 1,235,814,400 + head 2048 + bias 1 = 1,235,816,449
        // parameters * 16 bytes = 19,773,063,184; activations 16 layers * 34 * 2048*4*2048
        // + 4 * 2048*4*2048 = 9,193,914,368
        assertThat(reward.parameters()).isEqualTo(1_235_816_449L);
        assertThat(reward.stateBytes()).isEqualTo(19_773_063_184L);
        assertThat(reward.activationBytes()).isEqualTo(9_193_914_368L);
        assertThat(reward.why()).contains("the least sharded layout, fits");
    }

    @Test
    void fullRecomputationIsSuggested() {
        // selective: 70.6 GB of model state on 2 nodes does not leave room for 22.9 GB of activations
        PlacementPlan plan = planner.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 4),
                PipelineKind.REWARD.roles(LLAMA_70B, 4096, 16));

        assertThat(plan.feasible()).isFalse();
        assertThat(plan.suggestions()).anyMatch(line -> line.startsWith("Full activation recomputation fits"));
        assertThat(plan.suggestions()).anyMatch(line -> line.startsWith("A micro batch of "));
    }

    @Test
    void biggerGpuIsSuggested() {
        // 16 bytes * 7,504,928,769 = 120.1 GB of model state plus 4.6 GB of activations on a single
        // GPU: more than 36 GB usable on an A100 40GB, less than 126.9 GB on an H200
        PlacementPlan plan = planner.plan(new Cluster(GpuCatalog.A100_40GB_SXM, 1, 1),
                PipelineKind.BT.roles(ModelShape.LLAMA_3_1_8B, 1024, 1));

        assertThat(plan.feasible()).isFalse();
        assertThat(plan.suggestions()).anyMatch(line -> line.startsWith("H200 141GB SXM GPUs (h200-141gb-sxm) fit"));
    }

    @Test
    void tableListsRolesAndGroups() {
        PlacementPlan plan = planner.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8),
                PipelineKind.REWARD.roles(LLAMA_70B, 4096, 2));

        String table = plan.toTable();

        assertThat(table).startsWith("Placement on 8 nodes x 8 H100 80GB SXM: fits\n");
        assertThat(table).containsPattern("reward +llama-3\\.1-70b +yes +no +8 +1 +8 +0-63"
                + " +17\\.4 +17\\.4 +13\\.0 +22\\.9 +0\\.0 +70\\.6");
        assertThat(table).containsPattern("1 +0-63 +reward +70\\.6 +72\\.0 +yes");
        assertThat(table).contains("Why:\n  reward (trainable llama-3.1-70b");
    }

    @Test
    void jsonCarriesBytesAndReasons() {
        PlacementPlan plan = PlacementPlanner.builder().optFixedLayout(8, 2).build()
                .plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8), PipelineKind.REWARD.roles(LLAMA_70B, 4096, 2));

        JsonObject json = JsonParser.parseString(plan.toJson()).getAsJsonObject();

        assertThat(json.get("feasible").getAsBoolean()).isTrue();
        assertThat(json.getAsJsonObject("cluster").get("gpu").getAsString()).isEqualTo("h100-80gb-sxm");
        assertThat(json.get("activation_recompute").getAsString()).isEqualTo("selective");
        JsonObject role = json.getAsJsonArray("roles").get(0).getAsJsonObject();
        assertThat(role.get("tensor_parallel").getAsInt()).isEqualTo(8);
        assertThat(role.get("pipeline_parallel").getAsInt()).isEqualTo(2);
        assertThat(role.get("data_parallel").getAsInt()).isEqualTo(4);
        assertThat(role.getAsJsonObject("bytes_per_gpu").get("total").getAsLong()).isEqualTo(53_258_148_867L);
        assertThat(role.get("why").getAsString()).contains("TP 8 x PP 2 is the requested layout");
    }

    @Test
    void invalidFixedLayoutIsRejected() {
        PlacementPlanner fixed = PlacementPlanner.builder().optFixedLayout(8, 3).build();
        List<RoleSpec> roles = PipelineKind.REWARD.roles(LLAMA_70B, 4096, 2);

        assertThatThrownBy(() -> fixed.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8), roles))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PP 3 must divide the 80 layers of llama-3.1-70b");
    }

    @Test
    void tensorParallelBeyondNodeIsRejected() {
        PlacementPlanner fixed = PlacementPlanner.builder().optFixedLayout(16, 1).build();
        List<RoleSpec> roles = PipelineKind.REWARD.roles(LLAMA_70B, 4096, 2);

        assertThatThrownBy(() -> fixed.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8), roles))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TP 16 must divide the 8 GPUs of a node");
    }

    @Test
    void repeatedRoleIsRejected() {
        RoleSpec policy = RoleSpec.of(ModelRole.POLICY, LLAMA_70B, 4096, 2);

        assertThatThrownBy(() -> planner.plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 1), List.of(policy, policy)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Role policy appears twice");
    }

    @Test
    void reserveOutOfRangeIsRejected() {
        assertThatThrownBy(() -> PlacementPlanner.builder().optReserveFraction(0.95))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0.95");
    }

    @Test
    void optimizerShardingCanBeTurnedOff() {
        PlacementPlan plan = PlacementPlanner.builder().optFixedLayout(8, 2).optOptimizerSharding(false).build()
                .plan(Cluster.of(GpuCatalog.H100_80GB_SXM, 8), PipelineKind.REWARD.roles(LLAMA_70B, 4096, 2));

        // 12 bytes * P / 16, not split over DP: 52,127,281,152.75; the total passes 72 GB
        assertThat(plan.roles().get(0).optimizerBytes()).isEqualTo(52_127_281_153L);
        assertThat(plan.feasible()).isFalse();
        assertThat(plan.suggestions()).anyMatch(line -> line.startsWith("Splitting the optimizer state"));
    }
}
