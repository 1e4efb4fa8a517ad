package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineKindTest {

    private static final ModelShape SHAPE = ModelShape.LLAMA_3_1_8B;

    @Test
    void ppoHasFourRoles() {
        List<RoleSpec> roles = PipelineKind.PPO.roles(SHAPE, 1024, 4);

        assertThat(roles).extracting(RoleSpec::name).containsExactly("policy", "reference", "reward", "critic");
        assertThat(roles).extracting(RoleSpec::trainable).containsExactly(true, false, false, true);
        assertThat(roles).extracting(RoleSpec::generates).containsExactly(true, false, false, false);
    }

    @Test
    void reinforceHasNoCritic() {
        assertThat(PipelineKind.REINFORCE.roles(SHAPE, 1024, 4)).extracting(RoleSpec::name)
                .containsExactly("policy", "reference", "reward");
    }

    @Test
    void dpoDoesNotGenerate() {
        List<RoleSpec> roles = PipelineKind.DPO.roles(SHAPE, 1024, 4);

        assertThat(roles).extracting(RoleSpec::name).containsExactly("policy", "reference");
        assertThat(roles).noneMatch(RoleSpec::generates);
    }

    @Test
    void rewardPipelinesTrainTheRewardModel() {
        assertThat(PipelineKind.REWARD.roles(SHAPE, 1024, 4)).singleElement().satisfies(role -> {
            assertThat(role.role()).isEqualTo(ModelRole.REWARD);
            assertThat(role.trainable()).isTrue();
        });
        assertThat(PipelineKind.BT.roles(SHAPE, 1024, 4).get(0).trainable()).isTrue();
    }

    @Test
    void shapesCanDifferPerRole() {
        List<RoleSpec> roles = PipelineKind.REINFORCE.roles(
                role -> role == ModelRole.REWARD ? ModelShape.LLAMA_3_1_70B : SHAPE, 1024, 4);

        assertThat(roles.get(2).shape()).isSameAs(ModelShape.LLAMA_3_1_70B);
        assertThat(roles.get(0).shape()).isSameAs(SHAPE);
    }

    @Test
    void labelsParse() {
        assertThat(PipelineKind.fromLabel("PPO")).isEqualTo(PipelineKind.PPO);
        assertThatThrownBy(() -> PipelineKind.fromLabel("grpo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'grpo'")
                .hasMessageContaining("reward, bt, dpo, reinforce, ppo");
    }

    @Test
    void microBatchMustBePositive() {
        assertThatThrownBy(() -> RoleSpec.of(ModelRole.POLICY, SHAPE, 1024, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("microBatch must be at least 1, got 0");
    }
}
