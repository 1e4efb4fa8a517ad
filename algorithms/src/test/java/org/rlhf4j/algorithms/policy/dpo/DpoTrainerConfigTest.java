package org.rlhf4j.algorithms.policy.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.policy.PolicyOptimizer;

class DpoTrainerConfigTest {

    @Test
    void defaultsAreDocumentedValues() {
        DpoTrainerConfig config = DpoTrainerConfig.builder().build();

        assertThat(config.beta()).isEqualTo(0.1);
        assertThat(config.averageLogProbs()).isNull();
        assertThat(config.sftWeight()).isZero();
        assertThat(config.learningRate()).isEqualTo(1e-6);
        assertThat(config.maxGradNorm()).isEqualTo(1.0);
        assertThat(config.globalBatchPairs()).isEqualTo(8);
        assertThat(config.epochs()).isEqualTo(1);
        assertThat(config.maxSteps()).isZero();
        assertThat(config.maxLength()).isEqualTo(512);
        assertThat(config.truncationMode()).isEqualTo(TruncationMode.FILTER);
    }

    @Test
    void averagingFollowsOptimizerUnlessSet() {
        DpoTrainerConfig unset = DpoTrainerConfig.builder().build();
        DpoTrainerConfig sums = DpoTrainerConfig.builder().averageLogProbs(false).build();

        assertThat(unset.averageLogProbsFor(new DpoOptimizer())).isFalse();
        assertThat(unset.averageLogProbsFor(new IpoOptimizer())).isTrue();
        assertThat(sums.averageLogProbsFor(new IpoOptimizer())).isFalse();
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> DpoTrainerConfig.builder().beta(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta must be positive");
        assertThatThrownBy(() -> DpoTrainerConfig.builder().sftWeight(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sftWeight");
        assertThatThrownBy(() -> DpoTrainerConfig.builder().globalBatchPairs(6).microBatchPairs(4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of microBatchPairs");
        assertThatThrownBy(() -> DpoTrainerConfig.builder().epochs(1).maxSteps(5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> DpoTrainerConfig.builder().maxLength(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLength");
    }

    @Test
    void moduleProvidesTheFourPlugins() {
        ModuleDescriptor descriptor = DpoOptimizer.class.getModule().getDescriptor();
        Assumptions.assumeTrue(descriptor != null, "tests run on the class path, so there is no module descriptor");

        List<String> providers = descriptor.provides().stream()
                .filter(provides -> provides.service().equals(PolicyOptimizer.class.getName()))
                .flatMap(provides -> provides.providers().stream()).toList();

        assertThat(providers).contains(DpoOptimizer.class.getName(), IpoOptimizer.class.getName(),
                MarginDpoOptimizer.class.getName(), ScaledDpoOptimizer.class.getName());
    }
}
