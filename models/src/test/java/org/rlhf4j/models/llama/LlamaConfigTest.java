package org.rlhf4j.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.TestModels;
import org.rlhf4j.models.gguf.GgufFile;

class LlamaConfigTest {

    private static LlamaConfig.Builder small() {
        return LlamaConfig.builder().vocabSize(10).embeddingLength(8).feedForwardLength(12).blockCount(1).headCount(2);
    }

    @Test
    void readsStoriesMetadata() throws IOException {
        LlamaConfig config = LlamaConfig.fromGguf(GgufFile.open(TestModels.stories260K()));

        assertThat(config.vocabSize()).isEqualTo(512);
        assertThat(config.embeddingLength()).isEqualTo(64);
        assertThat(config.feedForwardLength()).isEqualTo(172);
        assertThat(config.blockCount()).isEqualTo(5);
        assertThat(config.headCount()).isEqualTo(8);
        assertThat(config.headCountKv()).isEqualTo(4);
        assertThat(config.headDim()).isEqualTo(8);
        assertThat(config.groupSize()).isEqualTo(2);
        assertThat(config.ropeDimensionCount()).isEqualTo(8);
        assertThat(config.ropeFreqBase()).isEqualTo(10000.0);
        assertThat(config.rmsEpsilon()).isEqualTo(9.999999747378752e-06);
        assertThat(config.contextLength()).isEqualTo(2048);
        assertThat(config.tiedEmbeddings()).isFalse();
        assertThat(config.eosTokenId()).isEqualTo(2);
    }

    @Test
    void builderFillsDefaults() {
        LlamaConfig config = small().build();

        assertThat(config.headCountKv()).isEqualTo(2);
        assertThat(config.ropeDimensionCount()).isEqualTo(4);
        assertThat(config.ropeFreqBase()).isEqualTo(10000.0);
        assertThat(config.rmsEpsilon()).isEqualTo(1e-5);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void rejectsHeadsThatDoNotDivideWidth() {
        assertThatThrownBy(() -> small().headCount(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("headCount 3");
    }

    @Test
    void rejectsKvHeadsThatDoNotDivideHeads() {
        assertThatThrownBy(() -> small().headCountKv(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("headCountKv 3");
    }

    @Test
    void rejectsOddRopeDimension() {
        assertThatThrownBy(() -> small().ropeDimensionCount(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ropeDimensionCount 3");
    }

    @Test
    void rejectsEosOutsideVocabulary() {
        assertThatThrownBy(() -> small().eosTokenId(10).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eosTokenId 10");
    }

    @Test
    void parameterShapesUseGgufNames() {
        LlamaConfig config = small().headCountKv(1).build();

        Map<String, Shape> shapes = config.parameterShapes();

        assertThat(shapes).hasSize(12);
        assertThat(shapes.keySet()).startsWith("token_embd.weight", "blk.0.attn_norm.weight")
                .endsWith("output_norm.weight", "output.weight");
        assertThat(shapes.get("token_embd.weight")).isEqualTo(new Shape(10, 8));
        assertThat(shapes.get("blk.0.attn_k.weight")).isEqualTo(new Shape(4, 8));
        assertThat(shapes.get("blk.0.ffn_down.weight")).isEqualTo(new Shape(8, 12));
        LlamaConfig tied = config.toBuilder().tiedEmbeddings(true).build();
        assertThat(tied.parameterShapes()).doesNotContainKey("output.weight");
    }
}
