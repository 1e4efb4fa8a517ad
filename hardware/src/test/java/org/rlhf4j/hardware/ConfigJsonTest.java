package org.rlhf4j.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model shapes read from Hugging Face config.json files. */
class ConfigJsonTest {

    @TempDir
    Path folder;

    @Test
    void readsLlama8bConfig() throws Exception {
        ModelShape shape = ModelShape.fromConfigJson(resource("llama-3.1-8b"));

        assertThat(shape.name()).isEqualTo("llama-3.1-8b");
        assertThat(shape.layers()).isEqualTo(32);
        assertThat(shape.hidden()).isEqualTo(4096);
        assertThat(shape.heads()).isEqualTo(32);
        assertThat(shape.kvHeads()).isEqualTo(8);
        assertThat(shape.intermediate()).isEqualTo(14336);
        assertThat(shape.vocab()).isEqualTo(128256);
        assertThat(shape.tiedEmbeddings()).isFalse();
        assertThat(shape.parameterCount()).isEqualTo(ModelShape.LLAMA_3_1_8B.parameterCount());
    }

    @Test
    void readsTiedLlama1bConfig() throws Exception {
        ModelShape shape = ModelShape.fromConfigJson(resource("llama-3.2-1b"));

        // embed 128256*2048 = 262,668,288; per layer 2*2048^2 + 2*2048*512 + 3*2048*8192 + 2*2048
        // = 60,821,504; 262,668,288 + 16 * 60,821,504 + 2048 = 1,235,814,400 (tied: no lm_head)
        assertThat(shape.tiedEmbeddings()).isTrue();
        assertThat(shape.parameterCount()).isEqualTo(1_235_814_400L);
    }

    @Test
    void resolveAcceptsFolder() throws Exception {
        ModelShape shape = ModelShape.resolve(resource("llama-3.2-1b").getParent().toString());

        assertThat(shape.name()).isEqualTo("llama-3.2-1b");
    }

    @Test
    void resolvePrefersPreset() throws Exception {
        assertThat(ModelShape.resolve("Llama-3.1-405B")).isSameAs(ModelShape.LLAMA_3_1_405B);
    }

    @Test
    void resolveRejectsUnknownName() {
        assertThatThrownBy(() -> ModelShape.resolve("gpt-5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown model 'gpt-5'")
                .hasMessageContaining("llama-3.1-8b, llama-3.1-70b, llama-3.1-405b")
                .hasMessageContaining("no config file gpt-5 exists");
    }

    @Test
    void nameComesFromNameOrPath() throws IOException {
        Path file = write("{\"_name_or_path\": \"meta-llama/Tiny-Test\", " + dims("") + "}");

        assertThat(ModelShape.fromConfigJson(file).name()).isEqualTo("tiny-test");
    }

    @Test
    void kvHeadsDefaultToHeads() throws IOException {
        Path file = write("{" + dims("") + "}");

        assertThat(ModelShape.fromConfigJson(file).kvHeads()).isEqualTo(4);
    }

    @Test
    void missingKeyNamesFileAndKey() throws IOException {
        Path file = write("{\"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"intermediate_size\": 128,"
                + " \"vocab_size\": 100}");

        assertThatThrownBy(() -> ModelShape.fromConfigJson(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("key 'hidden_size' is missing");
    }

    @Test
    void fractionalValueIsRejected() throws IOException {
        Path file = write("{" + dims("").replace("\"vocab_size\": 100", "\"vocab_size\": 100.5") + "}");

        assertThatThrownBy(() -> ModelShape.fromConfigJson(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("key 'vocab_size' must be a positive integer, got 100.5");
    }

    @Test
    void textValueIsRejected() throws IOException {
        Path file = write("{" + dims("").replace("\"hidden_size\": 64", "\"hidden_size\": \"64\"") + "}");

        assertThatThrownBy(() -> ModelShape.fromConfigJson(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 'hidden_size' must be a positive integer, got \"64\"");
    }

    @Test
    void nonBooleanTieIsRejected() throws IOException {
        Path file = write("{" + dims(", \"tie_word_embeddings\": \"yes\"") + "}");

        assertThatThrownBy(() -> ModelShape.fromConfigJson(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 'tie_word_embeddings' must be true or false");
    }

    @Test
    void inconsistentShapeNamesFile() throws IOException {
        Path file = write("{" + dims(", \"num_key_value_heads\": 3") + "}");

        assertThatThrownBy(() -> ModelShape.fromConfigJson(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("heads 4 must be a multiple of kvHeads 3");
    }

    @Test
    void otherHeadSizeIsRejected() throws IOException {
        Path file = write("{" + dims(", \"head_dim\": 32") + "}");

        assertThatThrownBy(() -> ModelShape.fromConfigJson(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 'head_dim' is 32 but hidden_size / num_attention_heads is 16");
    }

    @Test
    void arrayIsRejected() throws IOException {
        Path file = write("[1, 2]");

        assertThatThrownBy(() -> ModelShape.fromConfigJson(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a JSON object, got an array");
    }

    @Test
    void brokenJsonIsRejected() throws IOException {
        Path file = write("{\"hidden_size\": ");

        assertThatThrownBy(() -> ModelShape.fromConfigJson(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid JSON");
    }

    private static String dims(String extra) {
        return "\"hidden_size\": 64, \"num_hidden_layers\": 2, \"num_attention_heads\": 4,"
                + " \"intermediate_size\": 128, \"vocab_size\": 100" + extra;
    }

    private Path write(String json) throws IOException {
        Path dir = Files.createDirectories(folder.resolve("model"));
        return Files.writeString(dir.resolve("config.json"), json);
    }

    private static Path resource(String model) throws URISyntaxException {
        return Path.of(ConfigJsonTest.class.getResource("/configs/" + model + "/config.json").toURI());
    }
}
