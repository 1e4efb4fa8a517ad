package org.rlhf4j.models.llama;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.gguf.GgufTensorInfo;

/**
 * Architecture of a Llama decoder.
 *
 * @param vocabSize number of token ids
 * @param embeddingLength width of the hidden state (D)
 * @param feedForwardLength width of the SwiGLU feed-forward layer
 * @param blockCount number of transformer blocks
 * @param headCount number of query heads
 * @param headCountKv number of key/value heads; each serves {@code headCount / headCountKv} query heads
 * @param ropeDimensionCount number of leading dimensions of each head that RoPE rotates (even)
 * @param ropeFreqBase RoPE frequency base: pair i turns by position times base^(-2i / ropeDimensionCount)
 * @param rmsEpsilon epsilon added to the mean square in RMSNorm
 * @param contextLength number of positions the model was trained for; generation stops there
 * @param tiedEmbeddings whether the output classifier reuses the token-embedding matrix
 * @param eosTokenId the end-of-sequence id at which greedy generation stops
 */
public record LlamaConfig(int vocabSize, int embeddingLength, int feedForwardLength, int blockCount, int headCount,
        int headCountKv, int ropeDimensionCount, double ropeFreqBase, double rmsEpsilon, int contextLength,
        boolean tiedEmbeddings, int eosTokenId) {

    /** The RoPE frequency base used when the GGUF file does not set {@code llama.rope.freq_base}. */
    public static final double DEFAULT_ROPE_FREQ_BASE = 10000.0;

    public LlamaConfig {
        requirePositive("vocabSize", vocabSize);
        requirePositive("embeddingLength", embeddingLength);
        requirePositive("feedForwardLength", feedForwardLength);
        requirePositive("blockCount", blockCount);
        requirePositive("headCount", headCount);
        requirePositive("headCountKv", headCountKv);
        requirePositive("contextLength", contextLength);
        if (embeddingLength % headCount != 0) {
            throw new IllegalArgumentException("embeddingLength " + embeddingLength + " is not a multiple of headCount "
                    + headCount);
        }
        if (headCount % headCountKv != 0) {
            throw new IllegalArgumentException("headCount " + headCount + " is not a multiple of headCountKv "
                    + headCountKv);
        }
        int headDim = embeddingLength / headCount;
        if (ropeDimensionCount <= 0 || ropeDimensionCount % 2 != 0 || ropeDimensionCount > headDim) {
            throw new IllegalArgumentException("ropeDimensionCount " + ropeDimensionCount
                    + " must be even, positive and at most the head size " + headDim);
        }
        if (!(ropeFreqBase > 0) || Double.isInfinite(ropeFreqBase)) {
            throw new IllegalArgumentException("ropeFreqBase must be a positive finite number but is " + ropeFreqBase);
        }
        if (!(rmsEpsilon > 0) || Double.isInfinite(rmsEpsilon)) {
            throw new IllegalArgumentException("rmsEpsilon must be a positive finite number but is " + rmsEpsilon);
        }
        if (eosTokenId < 0 || eosTokenId >= vocabSize) {
            throw new IllegalArgumentException("eosTokenId " + eosTokenId + " is outside the vocabulary of "
                    + vocabSize + " tokens");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive but is " + value);
        }
    }

    /** Returns the size of one attention head. */
    public int headDim() {
        return embeddingLength / headCount;
    }

    /** Returns the number of query heads that share one key/value head. */
    public int groupSize() {
        return headCount / headCountKv;
    }

    /**
     * Reads the architecture from the {@code llama.*} metadata of a GGUF file. The vocabulary size
     * comes from {@code llama.vocab_size}, or else from the token-embedding tensor. The embeddings
     * count as tied when the file has no {@code output.weight} tensor.
     *
     * @param gguf the parsed file
     * @return the configuration
     * @throws IllegalArgumentException when the file is not a Llama model or a required key is missing
     */
    public static LlamaConfig fromGguf(GgufFile gguf) {
        String architecture = gguf.getString("general.architecture");
        if (!"llama".equals(architecture)) {
            throw new IllegalArgumentException("GGUF file " + gguf.path() + " contains a '" + architecture
                    + "' model; only 'llama' is supported");
        }
        int dim = requiredInt(gguf, "llama.embedding_length");
        int heads = requiredInt(gguf, "llama.attention.head_count");
        return builder()
                .vocabSize(vocabSizeOf(gguf))
                .embeddingLength(dim)
                .feedForwardLength(requiredInt(gguf, "llama.feed_forward_length"))
                .blockCount(requiredInt(gguf, "llama.block_count"))
                .headCount(heads)
                .headCountKv(optionalInt(gguf, "llama.attention.head_count_kv", heads))
                .ropeDimensionCount(optionalInt(gguf, "llama.rope.dimension_count", heads > 0 ? dim / heads : 0))
                .ropeFreqBase(gguf.getDouble("llama.rope.freq_base", DEFAULT_ROPE_FREQ_BASE))
                .rmsEpsilon(gguf.getDouble("llama.attention.layer_norm_rms_epsilon"))
                .contextLength(optionalInt(gguf, "llama.context_length", 2048))
                .tiedEmbeddings(gguf.tensor(LlamaModel.OUTPUT).isEmpty())
                .eosTokenId(optionalInt(gguf, "tokenizer.ggml.eos_token_id", 2))
                .build();
    }

    private static int requiredInt(GgufFile gguf, String key) {
        return toInt(gguf, key, gguf.getLong(key));
    }

    private static int optionalInt(GgufFile gguf, String key, int defaultValue) {
        return toInt(gguf, key, gguf.getLong(key, defaultValue));
    }

    private static int toInt(GgufFile gguf, String key, long value) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("GGUF file " + gguf.path() + ", metadata key '" + key + "': " + value
                    + " does not fit in an int");
        }
        return (int) value;
    }

    private static int vocabSizeOf(GgufFile gguf) {
        if (gguf.contains("llama.vocab_size")) {
            return requiredInt(gguf, "llama.vocab_size");
        }
        GgufTensorInfo embedding = gguf.tensor(LlamaModel.TOKEN_EMBEDDING)
                .orElseThrow(() -> new IllegalArgumentException(
                        "GGUF file " + gguf.path() + " has no tensor " + LlamaModel.TOKEN_EMBEDDING));
        return Math.toIntExact(embedding.djlShape().get(0));
    }

    /**
     * Returns the name and row-major shape of every decoder parameter, in the fixed order of
     * {@link LlamaModel#parameters()}. Names are the GGUF tensor names.
     *
     * @return parameter shapes by name
     */
    public Map<String, Shape> parameterShapes() {
        long d = embeddingLength;
        long kv = (long) headCountKv * headDim();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(LlamaModel.TOKEN_EMBEDDING, new Shape(vocabSize, d));
        for (int block = 0; block < blockCount; block++) {
            String prefix = "blk." + block + ".";
            shapes.put(prefix + "attn_norm.weight", new Shape(d));
            shapes.put(prefix + "attn_q.weight", new Shape(d, d));
            shapes.put(prefix + "attn_k.weight", new Shape(kv, d));
            shapes.put(prefix + "attn_v.weight", new Shape(kv, d));
            shapes.put(prefix + "attn_output.weight", new Shape(d, d));
            shapes.put(prefix + "ffn_norm.weight", new Shape(d));
            shapes.put(prefix + "ffn_gate.weight", new Shape(feedForwardLength, d));
            shapes.put(prefix + "ffn_up.weight", new Shape(feedForwardLength, d));
            shapes.put(prefix + "ffn_down.weight", new Shape(d, feedForwardLength));
        }
        shapes.put(LlamaModel.OUTPUT_NORM, new Shape(d));
        if (!tiedEmbeddings) {
            shapes.put(LlamaModel.OUTPUT, new Shape(vocabSize, d));
        }
        return shapes;
    }

    /** Returns a builder that starts from this configuration. */
    public Builder toBuilder() {
        return builder().vocabSize(vocabSize).embeddingLength(embeddingLength).feedForwardLength(feedForwardLength)
                .blockCount(blockCount).headCount(headCount).headCountKv(headCountKv)
                .ropeDimensionCount(ropeDimensionCount).ropeFreqBase(ropeFreqBase).rmsEpsilon(rmsEpsilon)
                .contextLength(contextLength).tiedEmbeddings(tiedEmbeddings).eosTokenId(eosTokenId);
    }

    /** Returns an empty builder; every size must be set, the defaults cover the rest. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builder of {@link LlamaConfig}. Defaults: {@code headCountKv} = {@code headCount},
     * {@code ropeDimensionCount} = the head size, {@code ropeFreqBase} 10000, {@code rmsEpsilon}
     * 1e-5, {@code contextLength} 2048, untied embeddings, {@code eosTokenId} 2. {@link #build()}
     * checks every value.
     */
    public static final class Builder {
        private int vocabSize;
        private int embeddingLength;
        private int feedForwardLength;
        private int blockCount;
        private int headCount;
        private int headCountKv;
        private int ropeDimensionCount;
        private double ropeFreqBase = DEFAULT_ROPE_FREQ_BASE;
        private double rmsEpsilon = 1e-5;
        private int contextLength = 2048;
        private boolean tiedEmbeddings;
        private int eosTokenId = 2;

        private Builder() {
        }

        /** Sets the number of token ids. */
        public Builder vocabSize(int value) {
            this.vocabSize = value;
            return this;
        }

        /** Sets the hidden-state width. */
        public Builder embeddingLength(int value) {
            this.embeddingLength = value;
            return this;
        }

        /** Sets the feed-forward width. */
        public Builder feedForwardLength(int value) {
            this.feedForwardLength = value;
            return this;
        }

        /** Sets the number of blocks. */
        public Builder blockCount(int value) {
            this.blockCount = value;
            return this;
        }

        /** Sets the number of query heads. */
        public Builder headCount(int value) {
            this.headCount = value;
            return this;
        }

        /** Sets the number of key/value heads; 0 means equal to the query heads. */
        public Builder headCountKv(int value) {
            this.headCountKv = value;
            return this;
        }

        /** Sets the rotated dimensions per head; 0 means the whole head. */
        public Builder ropeDimensionCount(int value) {
            this.ropeDimensionCount = value;
            return this;
        }

        /** Sets the RoPE frequency base (default 10000). */
        public Builder ropeFreqBase(double value) {
            this.ropeFreqBase = value;
            return this;
        }

        /** Sets the RMSNorm epsilon (default 1e-5). */
        public Builder rmsEpsilon(double value) {
            this.rmsEpsilon = value;
            return this;
        }

        /** Sets the trained context length in tokens (default 2048). */
        public Builder contextLength(int value) {
            this.contextLength = value;
            return this;
        }

        /** Sets whether the classifier reuses the token embedding (default false). */
        public Builder tiedEmbeddings(boolean value) {
            this.tiedEmbeddings = value;
            return this;
        }

        /** Sets the end-of-sequence id (default 2). */
        public Builder eosTokenId(int value) {
            this.eosTokenId = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid value
         */
        public LlamaConfig build() {
            int kvHeads = headCountKv == 0 ? headCount : headCountKv;
            int rope = ropeDimensionCount == 0 && headCount > 0 ? embeddingLength / headCount : ropeDimensionCount;
            return new LlamaConfig(vocabSize, embeddingLength, feedForwardLength, blockCount, headCount, kvHeads, rope,
                    ropeFreqBase, rmsEpsilon, contextLength, tiedEmbeddings, eosTokenId);
        }
    }
}
