package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.reward.RewardModel;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * A {@link RewardSource} backed by a {@link RewardModel} that reads the same token ids as the
 * policy, or with {@link #reencoding} the sample's text encoded as the reward model's training data.
 *
 * <p>The reward model's input is the prompt followed by the response as sampled. A truncated
 * response gets {@code eosId} appended to that input, so the model always reads its score at an
 * EOS; the sample itself is not changed. Inputs are padded on the right with id 0 (masked) and
 * scored in batches of {@code batchSize}, each in a sub-manager of the model's manager that is
 * closed afterwards. Scoring records no gradients when called outside a gradient collector.
 */
public final class RewardModelSource implements RewardSource {

    /** Default number of sequences scored in one forward pass: 16. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    private final String name;
    private final RewardModel model;
    private final int eosId;
    private final int batchSize;
    private final Function<GenerationResult, int[]> input;

    /**
     * Creates the source.
     *
     * @param name the name under which its rewards are logged, matching {@link Plugin#NAME_PATTERN}
     * @param model the reward model; it stays owned by the caller
     * @param eosId the end-of-sequence id appended to the input of truncated responses
     * @param batchSize sequences per forward pass, at least 1
     */
    public RewardModelSource(String name, RewardModel model, int eosId, int batchSize) {
        if (name == null || !name.matches(Plugin.NAME_PATTERN)) {
            throw new IllegalArgumentException("reward source name '" + name + "' must match " + Plugin.NAME_PATTERN);
        }
        if (eosId < 0) {
            throw new IllegalArgumentException("eosId must be a token id, got " + eosId);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.name = name;
        this.model = Objects.requireNonNull(model, "model");
        this.eosId = eosId;
        this.batchSize = batchSize;
        this.input = this::sampledInput;
    }

    private RewardModelSource(RewardModelSource base, Function<GenerationResult, int[]> input) {
        this.name = base.name;
        this.model = base.model;
        this.eosId = base.eosId;
        this.batchSize = base.batchSize;
        this.input = input;
    }

    /**
     * Creates a source whose reward model reads each sample as text, encoded the way its training
     * pairs were. Prompt and response are decoded and joined with the chat template's response
     * suffix, and the text is encoded again with BOS and EOS.
     *
     * <p>Tokenizing a prompt alone and appending sampled ids does not give the ids of the whole
     * text: a SentencePiece prompt that ends in a space ends in a lone space piece, which the whole
     * text merges into the next word. A reward model trained on rendered text should score the
     * sample as that text, so that a pre-tokenized prompt and a text prompt get the same score.
     *
     * @param name the name under which its rewards are logged
     * @param model the reward model; it stays owned by the caller
     * @param tokenizer the tokenizer of the policy's ids and of the reward model
     * @param template the chat template the reward model's training data was rendered with
     * @param batchSize sequences per forward pass, at least 1
     * @return the source
     */
    public static RewardModelSource reencoding(String name, RewardModel model, Tokenizer tokenizer,
            ChatTemplate template, int batchSize) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(template, "template");
        RewardModelSource base = new RewardModelSource(name, model, tokenizer.eosId(), batchSize);
        return new RewardModelSource(base, sample -> tokenizer.encodeWithSpecials(
                tokenizer.decode(sample.promptIds()) + tokenizer.decode(sample.responseIds())
                        + template.responseSuffix(), true, true));
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Returns the ids the reward model reads for a sample: prompt and response, plus
     * {@code eosId} when the response was truncated, or for a {@link #reencoding} source the ids of
     * the sample's text rendered by the chat template.
     *
     * @param sample the sample
     * @return a new array
     */
    public int[] modelInput(GenerationResult sample) {
        return input.apply(sample);
    }

    private int[] sampledInput(GenerationResult sample) {
        return sample.truncated() ? sample.sequenceWithEos(eosId) : sample.sequence();
    }

    @Override
    public double[] score(List<GenerationResult> samples) {
        double[] scores = new double[samples.size()];
        for (int from = 0; from < samples.size(); from += batchSize) {
            List<GenerationResult> chunk = samples.subList(from, Math.min(samples.size(), from + batchSize));
            float[] chunkScores = scoreChunk(chunk);
            for (int i = 0; i < chunkScores.length; i++) {
                scores[from + i] = chunkScores[i];
            }
        }
        return scores;
    }

    private float[] scoreChunk(List<GenerationResult> chunk) {
        int rows = chunk.size();
        int[][] inputs = new int[rows][];
        int width = 0;
        for (int i = 0; i < rows; i++) {
            inputs[i] = modelInput(chunk.get(i));
            width = Math.max(width, inputs[i].length);
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < inputs[i].length; t++) {
                ids[i * width + t] = inputs[i][t];
                mask[i * width + t] = 1;
            }
        }
        try (NDManager scope = model.manager().newSubManager()) {
            Shape shape = new Shape(rows, width);
            NDArray rewards = model.reward(scope.create(ids, shape), scope.create(mask, shape));
            return rewards.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
