package org.rlhf4j.models.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.TestModels;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;

class GeneratorTest {

    private static LlamaModel model;
    private static List<int[]> prompts;

    @BeforeAll
    static void load() throws IOException {
        GgufFile gguf = GgufFile.open(TestModels.stories260K());
        model = LlamaModel.fromGguf(gguf, null);
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(gguf);
        prompts = List.of(
                tokenizer.encodeWithSpecials("Once upon a time, there was a little girl", true, false),
                tokenizer.encodeWithSpecials("Tom had a dog.", true, false),
                tokenizer.encodeWithSpecials("The sun", true, false));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static SamplingConfig.Builder sampling() {
        return SamplingConfig.builder().maxNewTokens(12).seed(17);
    }

    @Test
    void cachedGreedyMatchesUncached() {
        SamplingConfig config = SamplingConfig.greedy(20).toBuilder().keepLogits(true).build();

        List<GenerationResult> cached = new Generator(model, true).generate(prompts, config);
        List<GenerationResult> uncached = new Generator(model, false).generate(prompts, config);

        for (int i = 0; i < prompts.size(); i++) {
            assertThat(cached.get(i).responseIds()).as("tokens of prompt %d", i)
                    .containsExactly(uncached.get(i).responseIds());
            for (int t = 0; t < cached.get(i).responseLength(); t++) {
                assertThat(cached.get(i).logits()[t]).as("logits of prompt %d, step %d", i, t)
                        .containsExactly(uncached.get(i).logits()[t], within(1e-4f));
            }
            assertThat(cached.get(i).logProbs()).containsExactly(uncached.get(i).logProbs(), within(1e-4f));
        }
    }

    @Test
    void cachedSamplingMatchesUncached() {
        SamplingConfig config = sampling().temperature(1.0).build();

        List<GenerationResult> cached = new Generator(model, true).generate(prompts, config);
        List<GenerationResult> uncached = new Generator(model, false).generate(prompts, config);

        for (int i = 0; i < prompts.size(); i++) {
            assertThat(cached.get(i).responseIds()).containsExactly(uncached.get(i).responseIds());
        }
    }

    @Test
    void greedyMatchesModelGreedyGeneration() {
        int[] expected = model.generateGreedy(prompts.get(0), 20);

        GenerationResult result = new Generator(model).generate(prompts.get(0), SamplingConfig.greedy(20));

        assertThat(result.responseIds()).containsExactly(expected);
    }

    @Test
    void leftPaddingKeepsTokensAndLogProbs() {
        SamplingConfig config = SamplingConfig.greedy(15);
        Generator generator = new Generator(model);

        List<GenerationResult> batched = generator.generate(prompts, config);

        for (int i = 0; i < prompts.size(); i++) {
            GenerationResult alone = generator.generate(prompts.get(i), config);
            assertThat(batched.get(i).responseIds()).as("tokens of prompt %d", i)
                    .containsExactly(alone.responseIds());
            assertThat(batched.get(i).logProbs()).as("log-probs of prompt %d", i)
                    .containsExactly(alone.logProbs(), within(1e-5f));
        }
    }

    @Test
    void sameSeedGivesSameSamples() {
        SamplingConfig config = sampling().temperature(1.0).topP(0.95).build();
        Generator generator = new Generator(model);

        List<GenerationResult> first = generator.generate(prompts, config);
        List<GenerationResult> second = generator.generate(prompts, config);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void otherSeedGivesOtherSamples() {
        Generator generator = new Generator(model);

        List<GenerationResult> first = generator.generate(prompts, sampling().seed(1).build());
        List<GenerationResult> second = generator.generate(prompts, sampling().seed(2).build());

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void repeatedPromptDrawsDifferentSamples() {
        List<int[]> repeated = List.of(prompts.get(1), prompts.get(1), prompts.get(1), prompts.get(1));

        List<GenerationResult> results = new Generator(model).generate(repeated, sampling().build());

        long distinct = results.stream().map(r -> Arrays.toString(r.responseIds())).distinct().count();
        assertThat(distinct).isGreaterThan(1);
    }

    @Test
    void topKOneEqualsGreedy() {
        SamplingConfig topK = sampling().temperature(1.0).topK(1).maxNewTokens(20).build();

        List<GenerationResult> sampled = new Generator(model).generate(prompts, topK);
        List<GenerationResult> greedy = new Generator(model).generate(prompts, SamplingConfig.greedy(20));

        for (int i = 0; i < prompts.size(); i++) {
            assertThat(sampled.get(i).responseIds()).containsExactly(greedy.get(i).responseIds());
            assertThat(sampled.get(i).logProbs()).containsExactly(greedy.get(i).logProbs(), within(1e-6f));
        }
    }

    @Test
    void truncatedSampleKeepsItsTokensAndLogProbs() {
        // The end-of-sequence id is one the first eight greedy tokens never use, so the sample is cut at four.
        int[] reference = new Generator(model).generate(prompts.get(0), SamplingConfig.greedy(8)).responseIds();
        int eos = unusedId(reference);
        SamplingConfig config = SamplingConfig.builder().temperature(0).maxNewTokens(4).eosTokenId(eos).build();

        GenerationResult result = new Generator(model).generate(prompts.get(0), config);

        assertThat(result.responseIds()).containsExactly(Arrays.copyOf(reference, 4));
        assertThat(result.truncated()).isTrue();
        assertThat(result.endedWithEos()).isFalse();
        float[] recomputed = LogProbs.forResults(model, List.of(result))[0];
        double recomputedSum = 0;
        for (float logProb : recomputed) {
            recomputedSum += logProb;
        }
        assertThat(result.sumLogProbs()).isCloseTo(recomputedSum, within(1e-4));
        assertThat(result.sequenceWithEos(eos)).endsWith(reference[3], eos);
        assertThat(result.responseIds()).hasSize(4);
    }

    @Test
    void stopsAtEndOfSequenceId() {
        int[] reference = new Generator(model).generate(prompts.get(1), SamplingConfig.greedy(10)).responseIds();
        int stopAt = reference[3];
        int firstIndex = indexOf(reference, stopAt);
        SamplingConfig config = SamplingConfig.greedy(10).toBuilder().eosTokenId(stopAt).build();

        GenerationResult result = new Generator(model).generate(prompts.get(1), config);

        assertThat(result.responseIds()).containsExactly(Arrays.copyOf(reference, firstIndex + 1));
        assertThat(result.endedWithEos()).isTrue();
        assertThat(result.truncated()).isFalse();
    }

    @Test
    void finishedSequenceStopsWhileOthersContinue() {
        int[] reference = new Generator(model).generate(prompts.get(2), SamplingConfig.greedy(10)).responseIds();
        SamplingConfig config = SamplingConfig.greedy(10).toBuilder().eosTokenId(reference[1]).build();

        List<GenerationResult> results = new Generator(model).generate(prompts, config);

        GenerationResult stopped = results.get(2);
        assertThat(stopped.responseIds()).containsExactly(Arrays.copyOf(reference, indexOf(reference, reference[1])
                + 1));
        assertThat(results.stream().mapToInt(GenerationResult::responseLength).max().orElseThrow())
                .isGreaterThan(stopped.responseLength());
    }

    @Test
    void samplingLogProbsUsePolicyDistribution() {
        SamplingConfig config = sampling().temperature(0.7).topK(20).build();

        List<GenerationResult> results = new Generator(model).generate(prompts, config);
        float[][] recomputed = LogProbs.forResults(model, results);

        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).logProbs()).containsExactly(recomputed[i], within(1e-4f));
        }
    }

    @Test
    void generationLeavesNoModelArrays() {
        int before = model.manager().getManagedArrays().size();

        new Generator(model, true).generate(prompts, sampling().build());
        new Generator(model, false).generate(prompts, sampling().build());
        LogProbs.responseLogProbs(model, prompts, prompts);

        assertThat(model.manager().getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void rejectsInvalidPrompts() {
        Generator generator = new Generator(model);
        SamplingConfig config = SamplingConfig.greedy(2);

        assertThatThrownBy(() -> generator.generate(List.of(), config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one prompt");
        assertThatThrownBy(() -> generator.generate(new int[0], config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt 0 is empty");
        assertThatThrownBy(() -> generator.generate(new int[] {1, 512}, config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id 512 at index 1");
        int[] tooLong = new int[model.config().contextLength()];
        assertThatThrownBy(() -> generator.generate(tooLong, config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no room");
    }

    private static int unusedId(int[] used) {
        for (int id = 3; ; id++) {
            if (indexOf(used, id) < 0) {
                return id;
            }
        }
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
