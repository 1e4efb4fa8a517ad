package org.rlhf4j.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.BundledModels;

/** Saves the bundled stories260K weights and reads them back into a fresh model. */
class LlamaWeightsFileTest {

    @TempDir
    Path folder;

    private static Path gguf() {
        Optional<Path> file = BundledModels.stories260K();
        Assumptions.assumeTrue(file.isPresent(), "stories260K.gguf not found");
        return file.get();
    }

    @Test
    void changedWeightsRoundTrip() throws IOException {
        Path file = folder.resolve("policy.safetensors");
        try (LlamaModel changed = LlamaModel.fromGguf(gguf()); LlamaModel fresh = LlamaModel.fromGguf(gguf())) {
            NDArray norm = changed.parameters().get(LlamaModel.OUTPUT_NORM);
            norm.set(norm.mul(3).toByteBuffer());
            float[] expected = norm.toFloatArray();

            changed.saveWeights(file);
            fresh.loadWeights(file);

            assertThat(fresh.parameters().get(LlamaModel.OUTPUT_NORM).toFloatArray()).containsExactly(expected);
            assertThat(fresh.parameters().get(LlamaModel.TOKEN_EMBEDDING).toFloatArray())
                    .containsExactly(changed.parameters().get(LlamaModel.TOKEN_EMBEDDING).toFloatArray());
            assertThat(Files.list(folder)).containsExactly(file);
        }
    }

    @Test
    void loadRejectsMissingArrays() throws IOException {
        Path file = folder.resolve("empty.safetensors");
        try (LlamaModel model = LlamaModel.fromGguf(gguf())) {
            Files.write(file, new ai.djl.ndarray.NDList().encode(ai.djl.ndarray.NDList.Encoding.SAFETENSORS));

            assertThatThrownBy(() -> model.loadWeights(file))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(LlamaModel.OUTPUT_NORM);
        }
    }
}
