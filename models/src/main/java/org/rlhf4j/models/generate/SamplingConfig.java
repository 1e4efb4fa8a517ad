package org.rlhf4j.models.generate;

/**
 * Settings of one {@link Generator#generate} call. Create one with {@link #builder()} or
 * {@link #greedy(int)}; every value is checked when the config is built.
 *
 * <p>The next token is drawn from the policy's logits after three optional changes, applied in
 * this order: division by {@code temperature}, keeping the {@code topK} most likely tokens, and
 * keeping the smallest set of most likely tokens whose probabilities sum to at least
 * {@code topP}. Ties in the ranking go to the lower token id, so {@code topK = 1} picks the same
 * token as greedy decoding. Temperature 0 means greedy decoding (the argmax of the logits, the
 * lowest id on a tie), and then top-k and top-p have no effect.
 *
 * @param temperature divisor of the logits, at least 0 and finite; 0 is greedy; default 1.0
 * @param topK number of most likely tokens kept, at least 0; 0 keeps all; default 0
 * @param topP cumulative probability of the most likely tokens kept, in (0, 1]; 1.0 keeps all;
 *     default 1.0
 * @param maxNewTokens largest number of tokens generated per sequence, at least 1; default 64
 * @param stopAtEos whether a sequence ends when it samples the end-of-sequence id; default true
 * @param eosTokenId the end-of-sequence id, or -1 for the model's
 *     {@link org.rlhf4j.models.llama.LlamaConfig#eosTokenId()}; default -1
 * @param seed seed of the random number generator; the same seed, prompts, model and settings
 *     give the same samples; default 0
 * @param keepLogits whether each {@link GenerationResult} keeps the raw logits of every step, for
 *     tests and analysis (vocabulary size floats per token); default false
 */
public record SamplingConfig(double temperature, int topK, double topP, int maxNewTokens, boolean stopAtEos,
        int eosTokenId, long seed, boolean keepLogits) {

    /** Default largest number of generated tokens per sequence: 64. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 64;

    public SamplingConfig {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 turns it off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 turns it off), got " + topP);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (eosTokenId < -1) {
            throw new IllegalArgumentException("eosTokenId must be a token id or -1 for the model's, got "
                    + eosTokenId);
        }
    }

    /**
     * Returns a config for greedy decoding that stops at the model's end-of-sequence id.
     *
     * @param maxNewTokens largest number of generated tokens per sequence
     * @return the config
     */
    public static SamplingConfig greedy(int maxNewTokens) {
        return builder().temperature(0).maxNewTokens(maxNewTokens).build();
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from this config. */
    public Builder toBuilder() {
        return builder().temperature(temperature).topK(topK).topP(topP).maxNewTokens(maxNewTokens)
                .stopAtEos(stopAtEos).eosTokenId(eosTokenId).seed(seed).keepLogits(keepLogits);
    }

    /** Tells whether decoding is greedy (temperature 0). */
    public boolean isGreedy() {
        return temperature == 0;
    }

    /** Builder of {@link SamplingConfig}; {@link #build()} checks the values. */
    public static final class Builder {

        private double temperature = 1.0;
        private int topK;
        private double topP = 1.0;
        private int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
        private boolean stopAtEos = true;
        private int eosTokenId = -1;
        private long seed;
        private boolean keepLogits;

        private Builder() {
        }

        /** Sets the divisor of the logits; 0 is greedy (default 1.0). */
        public Builder temperature(double value) {
            this.temperature = value;
            return this;
        }

        /** Sets the number of most likely tokens kept; 0 keeps all (default 0). */
        public Builder topK(int value) {
            this.topK = value;
            return this;
        }

        /** Sets the cumulative probability of the tokens kept, in (0, 1]; 1 keeps all (default 1.0). */
        public Builder topP(double value) {
            this.topP = value;
            return this;
        }

        /** Sets the largest number of generated tokens per sequence (default 64). */
        public Builder maxNewTokens(int value) {
            this.maxNewTokens = value;
            return this;
        }

        /** Sets whether a sequence ends at the end-of-sequence id (default true). */
        public Builder stopAtEos(boolean value) {
            this.stopAtEos = value;
            return this;
        }

        /** Sets the end-of-sequence id; -1 uses the model's (default -1). */
        public Builder eosTokenId(int value) {
            this.eosTokenId = value;
            return this;
        }

        /** Sets the seed of the random number generator (default 0). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Sets whether results keep the raw logits of every step (default false). */
        public Builder keepLogits(boolean value) {
            this.keepLogits = value;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the first invalid value
         */
        public SamplingConfig build() {
            return new SamplingConfig(temperature, topK, topP, maxNewTokens, stopAtEos, eosTokenId, seed, keepLogits);
        }
    }
}
