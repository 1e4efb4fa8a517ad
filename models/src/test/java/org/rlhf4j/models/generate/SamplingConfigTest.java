package org.rlhf4j.models.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplingConfigTest {

    @Test
    void defaultsAreDocumentedValues() {
        SamplingConfig config = SamplingConfig.builder().build();

        assertThat(config.temperature()).isEqualTo(1.0);
        assertThat(config.topK()).isZero();
        assertThat(config.topP()).isEqualTo(1.0);
        assertThat(config.maxNewTokens()).isEqualTo(64);
        assertThat(config.stopAtEos()).isTrue();
        assertThat(config.eosTokenId()).isEqualTo(-1);
        assertThat(config.seed()).isZero();
        assertThat(config.keepLogits()).isFalse();
    }

    @Test
    void greedyHasZeroTemperature() {
        assertThat(SamplingConfig.greedy(5).isGreedy()).isTrue();
        assertThat(SamplingConfig.greedy(5).maxNewTokens()).isEqualTo(5);
    }

    @Test
    void toBuilderKeepsValues() {
        SamplingConfig config = SamplingConfig.builder().temperature(0.7).topK(5).topP(0.9).maxNewTokens(3)
                .stopAtEos(false).eosTokenId(7).seed(42).keepLogits(true).build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void rejectsInvalidValues() {
        assertThatThrownBy(() -> SamplingConfig.builder().temperature(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> SamplingConfig.builder().topK(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK");
        assertThatThrownBy(() -> SamplingConfig.builder().topP(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topP");
        assertThatThrownBy(() -> SamplingConfig.builder().topP(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topP");
        assertThatThrownBy(() -> SamplingConfig.builder().maxNewTokens(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxNewTokens");
        assertThatThrownBy(() -> SamplingConfig.builder().eosTokenId(-2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eosTokenId");
    }
}
