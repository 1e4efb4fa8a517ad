package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelShapeTest {

    @Test
    void llama8bHasPublishedParameterCount() {
        // embed 128256 * 4096 = 525,336,576, and the untied lm_head the same;
        // per layer: q 4096*4096 + k,v 2 * 4096*1024 + o 4096*4096 = 41,943,040,
        // gate, up, down 3 * 4096*14336 = 176,160,768, norms 2 * 4096 = 8,192 -> 218,112,000;
        // 2 * 525,336,576 + 32 * 218,112,000 + final norm 4,096 = 8,030,261,248
        assertThat(ModelShape.LLAMA_3_1_8B.layerParameterCount()).isEqualTo(218_112_000L);
        assertThat(ModelShape.LLAMA_3_1_8B.parameterCount()).isEqualTo(8_030_261_248L);
    }

    @Test
    void llama70bParameterCount() {
        // per layer: 2 * 8192^2 + 2 * 8192*1024 + 3 * 8192*28672 + 2 * 8192 = 855,654,400;
        // 2 * 128256*8192 + 80 * 855,654,400 + 8192 = 70,553,706,496
        assertThat(ModelShape.LLAMA_3_1_70B.parameterCount()).isEqualTo(70_553_706_496L);
    }

    @Test
    void llama405bParameterCount() {
        // per layer: 2 * 16384^2 + 2 * 16384*1024 + 3 * 16384*53248 + 2 * 16384 = 3,187,703,808;
        // 2 * 128256*16384 + 126 * 3,187,703,808 + 16384 = 405,853,388,800
        assertThat(ModelShape.LLAMA_3_1_405B.parameterCount()).isEqualTo(405_853_388_800L);
    }

    @Test
    void scalarHeadReplacesOutputProjection() {
        // 8,030,261,248 - lm_head 525,336,576 + head weights 4096 + bias 1 = 7,504,928,769
        assertThat(ModelShape.LLAMA_3_1_8B.parameterCountWithHead(1)).isEqualTo(7_504_928_769L);
    }

    @Test
    void tiedEmbeddingsCountOnce() {
        ModelShape tied = new ModelShape("tied", 32, 4096, 32, 8, 14336, 128256, true);

        assertThat(tied.parameterCount()).isEqualTo(8_030_261_248L - 525_336_576L);
    }

    @Test
    void presetLookupIgnoresCase() {
        assertThat(ModelShape.preset("Llama-3.1-70B")).isSameAs(ModelShape.LLAMA_3_1_70B);
    }

    @Test
    void unknownPresetListsKnownNames() {
        assertThatThrownBy(() -> ModelShape.preset("gpt-2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gpt-2'")
                .hasMessageContaining("llama-3.1-8b, llama-3.1-70b, llama-3.1-405b");
    }

    @Test
    void headsMustDivideHidden() {
        assertThatThrownBy(() -> new ModelShape("bad", 2, 100, 3, 1, 10, 10, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hidden 100 must be a multiple of heads 3");
    }

    @Test
    void kvHeadsMustDivideHeads() {
        assertThatThrownBy(() -> new ModelShape("bad", 2, 96, 6, 4, 10, 10, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads 6 must be a multiple of kvHeads 4");
    }
}
