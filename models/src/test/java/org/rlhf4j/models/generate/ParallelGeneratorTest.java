package org.rlhf4j.models.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.TestModels;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;

class ParallelGeneratorTest {

    private static LlamaModel model;
    private static List<int[]> prompts;

    @BeforeAll
    static void load() throws IOException {
        GgufFile gguf = GgufFile.open(TestModels.stories260K());
        model = LlamaModel.fromGguf(gguf, Device.cpu());
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(gguf);
        prompts = List.of(
                tokenizer.encodeWithSpecials("Once upon a time, there was a little girl", true, false),
                tokenizer.encodeWithSpecials("Tom had a dog.", true, false),
                tokenizer.encodeWithSpecials("The sun", true, false),
                tokenizer.encodeWithSpecials("Lily and her mom went to the park to play", true, false),
                tokenizer.encodeWithSpecials("One day", true, false));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void shardsSampleLikeOneGenerator() {
        SamplingConfig config = SamplingConfig.builder().temperature(1.0).maxNewTokens(12).seed(23).build();
        List<GenerationResult> single = new Generator(model).generate(prompts, config);

        List<GenerationResult> sharded;
        try (ParallelGenerator parallel = ParallelGenerator.of(model, Collections.nCopies(3, Device.cpu()), true)) {
            sharded = parallel.generate(prompts, config);
        }

        assertThat(sharded).hasSize(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(sharded.get(i).promptIds()).as("prompt %d", i).containsExactly(prompts.get(i));
            assertThat(sharded.get(i).responseIds()).as("tokens of prompt %d", i)
                    .containsExactly(single.get(i).responseIds());
            assertThat(sharded.get(i).logProbs()).as("log-probabilities of prompt %d", i)
                    .containsExactly(single.get(i).logProbs(), within(1e-4f));
        }
    }

    @Test
    void offsetPicksLaterRandomStreams() {
        SamplingConfig config = SamplingConfig.builder().temperature(1.0).maxNewTokens(12).seed(23).build();
        List<int[]> twice = List.of(prompts.get(1), prompts.get(1));
        Generator generator = new Generator(model);

        List<GenerationResult> both = generator.generate(twice, config);
        GenerationResult second = generator.generate(List.of(prompts.get(1)), config, 1).get(0);

        assertThat(second.responseIds()).containsExactly(both.get(1).responseIds());
        assertThat(both.get(0).responseIds()).isNotEqualTo(both.get(1).responseIds());
    }

    @Test
    void firstDeviceMustBeModels() {
        assertThatThrownBy(() -> ParallelGenerator.of(model, List.of(Device.gpu(0)), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gpu(0)");
    }
}
