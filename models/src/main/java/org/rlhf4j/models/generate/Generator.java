package org.rlhf4j.models.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rlhf4j.models.llama.KvCache;
import org.rlhf4j.models.llama.LlamaModel;

/**
 * Samples responses to a batch of prompts from a {@link LlamaModel}, with or without a KV cache.
 *
 * <p>Prompts of different lengths are padded on the left, so every prompt ends at the same column
 * and the new tokens of a step form one column; RoPE positions come from the attention mask, so
 * padding does not change a sequence's logits beyond float rounding. With the KV cache (the
 * default) the first step runs the padded prompts and each later step runs only the column of
 * new tokens against the cached keys and values. Without it every step runs the whole sequence
 * so far, which gives the same tokens and, up to float rounding, the same logits.
 *
 * <p>A sequence ends when it samples the end-of-sequence id (if {@link SamplingConfig#stopAtEos()} is set),
 * after {@link SamplingConfig#maxNewTokens()} tokens, or when it fills the model's context length.
 * Finished sequences take no further tokens; the batch stops when every sequence has ended.
 *
 * <p>Random numbers: sequence {@code i} of a call draws from the {@code i}-th generator split off
 * a {@link SplittableRandom} seeded with {@link SamplingConfig#seed()} (counting from
 * {@code firstSequence} when the call gives one), and tokens are drawn in
 * Java from the logits, so the same seed, prompts (in the same order), model and settings give
 * the same samples on every run. To draw several samples per prompt, repeat the prompt in the list.
 *
 * <p>Memory: each call runs in a sub-manager of the model's manager and each step in a
 * sub-manager of that; the KV cache is closed at the end of the call, so no array is left in the
 * model's manager. Generation records no gradients when called outside a gradient collector.
 * Instances are not thread-safe, and a model must not run two calls at the same time.
 *
 * <p>Example:
 * <pre>{@code
 * Generator generator = new Generator(policy);
 * SamplingConfig config = SamplingConfig.builder().temperature(0.7).topP(0.9).maxNewTokens(128).seed(7).build();
 * List<GenerationResult> results = generator.generate(List.of(promptIds, promptIds), config);
 * }</pre>
 */
public final class Generator {

    /** Token id written at padded positions; any id inside the vocabulary works, since they are masked. */
    private static final int PAD_ID = 0;

    private final LlamaModel model;
    private final boolean useKvCache;

    /**
     * Creates a generator that uses a KV cache.
     *
     * @param model the model to sample from; it stays owned by the caller
     */
    public Generator(LlamaModel model) {
        this(model, true);
    }

    /**
     * Creates a generator.
     *
     * @param model the model to sample from; it stays owned by the caller
     * @param useKvCache whether to keep the keys and values of past positions, so that each step
     *     runs only the new tokens. False runs the whole sequence at every step.
     */
    public Generator(LlamaModel model, boolean useKvCache) {
        this.model = Objects.requireNonNull(model, "model");
        this.useKvCache = useKvCache;
    }

    /** Returns the model this generator samples from. */
    public LlamaModel model() {
        return model;
    }

    /** Tells whether this generator uses a KV cache. */
    public boolean usesKvCache() {
        return useKvCache;
    }

    /**
     * Samples one response to one prompt.
     *
     * @param prompt the prompt ids, BOS included if the model expects one
     * @param config the sampling settings
     * @return the result
     * @throws IllegalArgumentException when the prompt is empty, has an id outside the vocabulary or
     *     fills the model's context length
     */
    public GenerationResult generate(int[] prompt, SamplingConfig config) {
        return generate(List.of(prompt), config).get(0);
    }

    /**
     * Samples one response to each prompt, all in one batch.
     *
     * @param prompts the prompt ids, BOS included if the model expects one; at least one, none empty
     * @param config the sampling settings
     * @return one result per prompt, in the same order
     * @throws IllegalArgumentException when a prompt is empty, has an id outside the vocabulary or
     *     fills the model's context length, or the config's end-of-sequence id is outside the
     *     vocabulary
     * @throws IllegalStateException when the model produces NaN or infinite logits
     */
    public List<GenerationResult> generate(List<int[]> prompts, SamplingConfig config) {
        return generate(prompts, config, 0);
    }

    /**
     * Samples one response to each prompt, all in one batch, as sequences {@code firstSequence}
     * onwards of a larger call: prompt {@code i} draws from the random generator of sequence
     * {@code firstSequence + i}. A caller that splits a list of prompts into contiguous shards, for
     * example one per device, gets the samples of a single call over the whole list this way, up to
     * float rounding of the logits.
     *
     * @param prompts the prompt ids, BOS included if the model expects one; at least one, none empty
     * @param config the sampling settings
     * @param firstSequence the index of the first prompt in the larger call, at least 0
     * @return one result per prompt, in the same order
     * @throws IllegalArgumentException when {@code firstSequence} is negative, a prompt is empty, has
     *     an id outside the vocabulary or fills the model's context length, or the config's
     *     end-of-sequence id is outside the vocabulary
     * @throws IllegalStateException when the model produces NaN or infinite logits
     */
    public List<GenerationResult> generate(List<int[]> prompts, SamplingConfig config, int firstSequence) {
        Objects.requireNonNull(config, "config");
        if (firstSequence < 0) {
            throw new IllegalArgumentException("firstSequence must be >= 0, got " + firstSequence);
        }
        checkPrompts(prompts);
        int eosId = config.eosTokenId() >= 0 ? config.eosTokenId() : model.config().eosTokenId();
        if (eosId >= model.config().vocabSize()) {
            throw new IllegalArgumentException("eosTokenId " + eosId + " is outside the vocabulary of "
                    + model.config().vocabSize() + " tokens");
        }
        Batch batch = new Batch(prompts, config, eosId, firstSequence);
        try (NDManager run = model.manager().newSubManager();
                KvCache cache = useKvCache ? model.newKvCache() : null) {
            float[][] next = forwardPrompts(run, batch, cache);
            while (true) {
                batch.drawAll(next);
                if (batch.allFinished()) {
                    break;
                }
                next = cache != null ? forwardCached(run, batch, cache) : forwardFull(run, batch);
            }
        }
        return batch.results();
    }

    private void checkPrompts(List<int[]> prompts) {
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must contain at least one prompt, got " + prompts);
        }
        int vocab = model.config().vocabSize();
        int context = model.config().contextLength();
        for (int i = 0; i < prompts.size(); i++) {
            int[] prompt = prompts.get(i);
            if (prompt == null || prompt.length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty; pass at least a BOS token");
            }
            if (prompt.length >= context) {
                throw new IllegalArgumentException("prompt " + i + " has " + prompt.length + " tokens, which leaves"
                        + " no room in the model's context of " + context + " tokens");
            }
            for (int t = 0; t < prompt.length; t++) {
                if (prompt[t] < 0 || prompt[t] >= vocab) {
                    throw new IllegalArgumentException("prompt " + i + " has id " + prompt[t] + " at index " + t
                            + ", outside the vocabulary of " + vocab + " tokens");
                }
            }
        }
    }

    /** Runs the left-padded prompts and returns the logits of their last column. */
    private float[][] forwardPrompts(NDManager run, Batch batch, KvCache cache) {
        try (NDManager step = run.newSubManager()) {
            Shape shape = new Shape(batch.size(), batch.promptColumns());
            NDArray ids = step.create(batch.promptIds(), shape);
            NDArray mask = step.create(batch.promptMask(), shape);
            return lastColumn(model.logits(ids, mask, cache));
        }
    }

    /** Runs the column of tokens drawn last against the cache. */
    private float[][] forwardCached(NDManager run, Batch batch, KvCache cache) {
        try (NDManager step = run.newSubManager()) {
            Shape shape = new Shape(batch.size(), 1);
            NDArray ids = step.create(batch.lastColumnIds(), shape);
            NDArray mask = step.create(batch.lastColumnMask(), shape);
            return lastColumn(model.logits(ids, mask, cache));
        }
    }

    /** Runs every column so far. */
    private float[][] forwardFull(NDManager run, Batch batch) {
        try (NDManager step = run.newSubManager()) {
            Shape shape = new Shape(batch.size(), batch.columns());
            NDArray ids = step.create(batch.allIds(), shape);
            NDArray mask = step.create(batch.allMask(), shape);
            return lastColumn(model.logits(ids, mask));
        }
    }

    private static float[][] lastColumn(NDArray logits) {
        long rows = logits.getShape().get(0);
        long columns = logits.getShape().get(1);
        int vocab = (int) logits.getShape().get(2);
        float[] flat = logits.get(":, " + (columns - 1) + ", :").toFloatArray();
        float[][] result = new float[(int) rows][];
        for (int i = 0; i < rows; i++) {
            result[i] = Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
        }
        return result;
    }

    /**
     * The state of one batch: left-padded prompts, the tokens drawn so far in columns after them,
     * and per sequence its generator, log-probabilities and whether it has ended.
     */
    private final class Batch {

        private final List<int[]> prompts;
        private final SamplingConfig config;
        private final int eosId;
        private final TokenSampler sampler;
        private final int promptColumns;
        private final SplittableRandom[] randoms;
        private final List<List<Integer>> tokens = new ArrayList<>();
        private final List<List<Float>> logProbs = new ArrayList<>();
        private final List<List<Float>> samplingLogProbs = new ArrayList<>();
        private final List<List<float[]>> logits = new ArrayList<>();
        private final boolean[] finished;
        private final boolean[] endedWithEos;
        /** Per column after the prompts: the token of each row, PAD_ID for rows that had ended. */
        private final List<long[]> columnIds = new ArrayList<>();
        private final List<long[]> columnMask = new ArrayList<>();

        Batch(List<int[]> prompts, SamplingConfig config, int eosId, int firstSequence) {
            this.prompts = List.copyOf(prompts.stream().map(int[]::clone).toList());
            this.config = config;
            this.eosId = eosId;
            this.sampler = new TokenSampler(config);
            this.promptColumns = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
            SplittableRandom root = new SplittableRandom(config.seed());
            for (int skipped = 0; skipped < firstSequence; skipped++) {
                root.split();
            }
            this.randoms = new SplittableRandom[prompts.size()];
            for (int i = 0; i < randoms.length; i++) {
                randoms[i] = root.split();
                tokens.add(new ArrayList<>());
                logProbs.add(new ArrayList<>());
                samplingLogProbs.add(new ArrayList<>());
                logits.add(new ArrayList<>());
            }
            this.finished = new boolean[prompts.size()];
            this.endedWithEos = new boolean[prompts.size()];
        }

        int size() {
            return prompts.size();
        }

        int promptColumns() {
            return promptColumns;
        }

        int columns() {
            return promptColumns + columnIds.size();
        }

        /** Draws the next token of every unfinished sequence from its row of logits, and appends a column. */
        void drawAll(float[][] rows) {
            long[] ids = new long[size()];
            long[] mask = new long[size()];
            for (int i = 0; i < size(); i++) {
                ids[i] = PAD_ID;
                if (finished[i]) {
                    continue;
                }
                TokenSampler.Draw draw = sampler.draw(rows[i], randoms[i]);
                tokens.get(i).add(draw.token());
                logProbs.get(i).add((float) draw.logProb());
                samplingLogProbs.get(i).add((float) draw.samplingLogProb());
                if (config.keepLogits()) {
                    logits.get(i).add(rows[i].clone());
                }
                ids[i] = draw.token();
                mask[i] = 1;
                updateFinished(i, draw.token());
            }
            columnIds.add(ids);
            columnMask.add(mask);
        }

        private void updateFinished(int row, int token) {
            int generated = tokens.get(row).size();
            if (config.stopAtEos() && token == eosId) {
                finished[row] = true;
                endedWithEos[row] = true;
            } else if (generated >= config.maxNewTokens()
                    || prompts.get(row).length + generated >= model.config().contextLength()) {
                finished[row] = true;
            }
        }

        boolean allFinished() {
            for (boolean done : finished) {
                if (!done) {
                    return false;
                }
            }
            return true;
        }

        long[] promptIds() {
            return promptPart(true);
        }

        long[] promptMask() {
            return promptPart(false);
        }

        private long[] promptPart(boolean ids) {
            long[] values = new long[size() * promptColumns];
            for (int i = 0; i < size(); i++) {
                int[] prompt = prompts.get(i);
                int offset = i * promptColumns + promptColumns - prompt.length;
                for (int t = 0; t < prompt.length; t++) {
                    values[offset + t] = ids ? prompt[t] : 1;
                }
                if (ids) {
                    Arrays.fill(values, i * promptColumns, offset, PAD_ID);
                }
            }
            return values;
        }

        long[] lastColumnIds() {
            return columnIds.get(columnIds.size() - 1);
        }

        long[] lastColumnMask() {
            return columnMask.get(columnMask.size() - 1);
        }

        long[] allIds() {
            return withColumns(promptIds(), columnIds);
        }

        long[] allMask() {
            return withColumns(promptMask(), columnMask);
        }

        private long[] withColumns(long[] prompt, List<long[]> columns) {
            int width = columns();
            long[] values = new long[size() * width];
            for (int i = 0; i < size(); i++) {
                System.arraycopy(prompt, i * promptColumns, values, i * width, promptColumns);
                for (int c = 0; c < columns.size(); c++) {
                    values[i * width + promptColumns + c] = columns.get(c)[i];
                }
            }
            return values;
        }

        List<GenerationResult> results() {
            List<GenerationResult> results = new ArrayList<>(size());
            for (int i = 0; i < size(); i++) {
                int[] response = tokens.get(i).stream().mapToInt(Integer::intValue).toArray();
                results.add(new GenerationResult(prompts.get(i), response, toArray(logProbs.get(i)),
                        toArray(samplingLogProbs.get(i)), endedWithEos[i], !endedWithEos[i],
                        logits.get(i).toArray(new float[0][])));
            }
            return results;
        }

        private static float[] toArray(List<Float> values) {
            float[] array = new float[values.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = values.get(i);
            }
            return array;
        }
    }
}
