package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.api.SpiVersion;
import org.rlhf4j.api.policy.PolicyOptimizer;

class OnlinePluginsTest {

    @Test
    void ppoPluginNeedsCritic() {
        PolicyOptimizer ppo = new PpoOptimizer();

        assertThat(ppo.name()).isEqualTo("ppo").matches(Plugin.NAME_PATTERN);
        assertThat(ppo.mode()).isEqualTo(PolicyOptimizer.Mode.ONLINE_ROLLOUTS);
        assertThat(ppo.needsCritic()).isTrue();
        assertThat(ppo.needsReferenceModel()).isTrue();
        assertThat(ppo.spiVersion()).isEqualTo(SpiVersion.CURRENT);
        assertThat(ppo.description()).isNotBlank();
    }

    @Test
    void reinforcePluginHasNoCritic() {
        PolicyOptimizer reinforce = new ReinforceOptimizer();

        assertThat(reinforce.name()).isEqualTo("reinforce").matches(Plugin.NAME_PATTERN);
        assertThat(reinforce.mode()).isEqualTo(PolicyOptimizer.Mode.ONLINE_ROLLOUTS);
        assertThat(reinforce.needsCritic()).isFalse();
        assertThat(reinforce.needsReferenceModel()).isTrue();
        assertThat(reinforce.description()).isNotBlank();
    }

    @Test
    void moduleProvidesBothPlugins() {
        ModuleDescriptor descriptor = PpoOptimizer.class.getModule().getDescriptor();
        // Surefire runs the tests on the module path, so the descriptor is the compiled module-info.
        org.junit.jupiter.api.Assumptions.assumeTrue(descriptor != null, "tests run on the class path");

        List<String> providers = descriptor.provides().stream()
                .filter(provides -> provides.service().equals(PolicyOptimizer.class.getName()))
                .flatMap(provides -> provides.providers().stream())
                .toList();

        assertThat(providers).contains(PpoOptimizer.class.getName(), ReinforceOptimizer.class.getName());
    }

    @Test
    void reinforceConfigRejectsOneSamplePerPrompt() {
        assertThatThrownBy(() -> ReinforceConfig.builder().samplesPerPrompt(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 samples per prompt")
                .hasMessageContaining("got 1");
    }

    @Test
    void reinforceConfigDefaults() {
        ReinforceConfig config = ReinforceConfig.builder().build();

        assertThat(config.samplesPerPrompt()).isEqualTo(4);
        assertThat(config.klPenalty()).isEqualTo(KlPenalty.defaults());
        assertThat(config.learningRate()).isEqualTo(9e-7);
        assertThat(config.minLearningRate()).isCloseTo(9e-8, org.assertj.core.api.Assertions.within(1e-20));
        assertThat(config.warmupSteps()).isEqualTo(10);
        assertThat(config.maxGradNorm()).isEqualTo(1.0);
        assertThat(config.sampling().temperature()).isEqualTo(1.0);
        assertThat(config.sampling().topK()).isZero();
        assertThat(config.sampling().topP()).isEqualTo(1.0);
    }

    @Test
    void ppoConfigDefaults() {
        PpoConfig config = PpoConfig.builder().build();

        assertThat(config.klPenalty()).isEqualTo(KlPenalty.defaults());
        assertThat(config.gamma()).isEqualTo(1.0);
        assertThat(config.lambda()).isEqualTo(0.95);
        assertThat(config.ratioClip()).isEqualTo(0.2);
        assertThat(config.valueClip()).isEqualTo(0.2);
        assertThat(config.entropyCoefficient()).isZero();
        assertThat(config.whitenAdvantages()).isTrue();
        assertThat(config.learningRate()).isEqualTo(9e-7);
        assertThat(config.criticLearningRate()).isEqualTo(9e-6);
    }

    @Test
    void ppoUpdatesPerStepCountMiniBatches() {
        PpoConfig config = PpoConfig.builder().promptsPerStep(5).samplesPerPrompt(2).miniBatchSize(4).epochs(3)
                .build();

        // 10 sequences in mini-batches of 4: 3 per epoch.
        assertThat(config.updatesPerStep()).isEqualTo(9);
    }

    @Test
    void ppoConfigRejectsLambdaAboveOne() {
        assertThatThrownBy(() -> PpoConfig.builder().lambda(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lambda")
                .hasMessageContaining("1.5");
    }
}
