package org.rlhf4j.hardware;

import java.util.Objects;

/**
 * Estimates the memory of each RLHF role without sharding: model state, activations and the KV
 * cache.
 *
 * <p>A frozen role holds only its weights. A trainable role also keeps gradients in the weight
 * precision, two float32 AdamW moments and, when the weights are not float32, a float32 master
 * copy: 2 + 2 + 8 + 4 = 16 bytes per parameter for bfloat16 weights, and 4 + 4 + 8 = 16 for
 * float32 weights.
 *
 * <p>Activations follow Korthikanti et al. 2022, "Reducing Activation Recomputation in Large
 * Transformer Models" (arXiv:2205.05198), section 4: a layer with sequence length {@code s}, micro
 * batch {@code b}, hidden size {@code h} and {@code a} attention heads keeps
 * {@code s*b*h*(34 + 5*a*s/h)} bytes at 16 bits without recomputation, {@code 34*s*b*h} with
 * selective recomputation and {@code 2*s*b*h} with full recomputation. The formula counts a GPT
 * layer: multi-head attention, a 4h GeLU feed-forward block, LayerNorm and dropout masks.
 *
 * <p>NOTE: The paper's formula is applied to Llama layers unchanged. Counting the tensors that a
 * Llama layer saves for the backward pass instead (no dropout, grouped-query attention keeping K
 * and V at {@code kvHeads/heads} of the width, a SwiGLU block with inner size {@code i}) gives
 * about {@code s*b*h*(12 + 4*kvHeads/heads) + 8*s*b*i} bytes, which is 40.5*s*b*h for Llama 3.1
 * 70B and 41*s*b*h for 8B. So the {@code 34*s*b*h} part of the estimate is 16% to 17% low for
 * these models.
 *
 * <pre>{@code
 * MemoryEstimator estimator = MemoryEstimator.builder().build();
 * RoleMemory policy = estimator.estimate(ModelRole.POLICY, ModelShape.LLAMA_3_1_8B);
 * }</pre>
 */
public final class MemoryEstimator {

    private static final int FLOAT32_BYTES = 4;
    private static final int ADAM_MOMENTS = 2;
    /** Bytes per activation value that the Korthikanti et al. figures assume. */
    private static final int FORMULA_ACTIVATION_BYTES = 2;

    private final Precision weightPrecision;
    private final Precision activationPrecision;
    private final boolean masterWeights;
    private final int headOutputs;

    private MemoryEstimator(Builder builder) {
        this.weightPrecision = builder.weightPrecision;
        this.activationPrecision = builder.activationPrecision;
        this.masterWeights = builder.masterWeights;
        this.headOutputs = builder.headOutputs;
    }

    /**
     * Creates a builder with bfloat16 weights and activations, float32 master weights and a
     * one-output head.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Estimates a role's memory, trained or frozen as {@link ModelRole#trainableByDefault()} returns.
     *
     * @param role the role
     * @param shape the model of that role
     * @return the estimate
     */
    public RoleMemory estimate(ModelRole role, ModelShape shape) {
        return estimate(role, shape, role.trainableByDefault());
    }

    /**
     * Estimates a role's memory. Reward and critic models get a linear head of the configured
     * number of outputs in place of the language-model output projection.
     *
     * @param role the role
     * @param shape the model of that role
     * @param trainable whether to include gradients, optimizer state and master weights
     * @return the estimate
     */
    public RoleMemory estimate(ModelRole role, ModelShape shape, boolean trainable) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(shape, "shape");
        long parameters = role.hasLinearHead() ? shape.parameterCountWithHead(headOutputs) : shape.parameterCount();
        long weights = parameters * weightPrecision.bytesPerValue();
        if (!trainable) {
            return new RoleMemory(role, false, parameters, weights, 0, 0, 0);
        }
        long gradients = parameters * weightPrecision.bytesPerValue();
        long optimizerState = parameters * ADAM_MOMENTS * FLOAT32_BYTES;
        boolean needsMaster = masterWeights && weightPrecision != Precision.FP32;
        long master = needsMaster ? parameters * FLOAT32_BYTES : 0;
        return new RoleMemory(role, true, parameters, weights, gradients, optimizerState, master);
    }

    /** Returns the precision in which weights and gradients are stored. */
    public Precision weightPrecision() {
        return weightPrecision;
    }

    /** Returns the precision of activations and of the KV cache. */
    public Precision activationPrecision() {
        return activationPrecision;
    }

    /**
     * Estimates the activations one decoder layer keeps for the backward pass of one micro batch,
     * before any tensor or sequence parallel split.
     *
     * <p>At 16 bits: {@code 34*s*b*h + 5*a*s*s*b} bytes for {@link ActivationRecompute#NONE},
     * {@code 34*s*b*h} for {@link ActivationRecompute#SELECTIVE} and {@code 2*s*b*h} for
     * {@link ActivationRecompute#FULL}. Float32 activations double the figure.
     *
     * @param shape the model
     * @param sequenceLength tokens per sequence ({@code s})
     * @param microBatch sequences per forward pass ({@code b})
     * @param recompute how much is recomputed
     * @return bytes per layer
     * @throws IllegalArgumentException when {@code sequenceLength} or {@code microBatch} is not positive
     */
    public long layerActivationBytes(ModelShape shape, int sequenceLength, int microBatch,
            ActivationRecompute recompute) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(recompute, "recompute");
        requirePositive("sequenceLength", sequenceLength);
        requirePositive("microBatch", microBatch);
        long sbh = (long) sequenceLength * microBatch * shape.hidden();
        long bytes = switch (recompute) {
            case NONE -> 34 * sbh + 5L * shape.heads() * sequenceLength * sequenceLength * microBatch;
            case SELECTIVE -> 34 * sbh;
            case FULL -> 2 * sbh;
        };
        return scaleToActivationPrecision(bytes);
    }

    /**
     * Estimates the activations of the output layer for one micro batch: {@code 4*s*b*h*(1 + v/h)}
     * bytes for the final norm, the language-model projection and a float32 cross-entropy (the
     * same paper, section 4.3), or {@code 4*s*b*h} for a role with a linear head, whose outputs are
     * negligible.
     *
     * @param role the role, which decides the head
     * @param shape the model
     * @param sequenceLength tokens per sequence
     * @param microBatch sequences per forward pass
     * @return bytes
     */
    public long outputActivationBytes(ModelRole role, ModelShape shape, int sequenceLength, int microBatch) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(shape, "shape");
        requirePositive("sequenceLength", sequenceLength);
        requirePositive("microBatch", microBatch);
        long tokens = (long) sequenceLength * microBatch;
        long normAndProjectionInput = 4 * tokens * shape.hidden();
        long logits = role.hasLinearHead() ? 0 : 4 * tokens * shape.vocab();
        return scaleToActivationPrecision(normAndProjectionInput + logits);
    }

    /**
     * Estimates the activations that training holds for one micro batch of the whole model, before
     * the tensor and sequence parallel split: every layer's activations plus the output layer. With
     * {@link ActivationRecompute#FULL} it is every layer's input plus one layer's full activations,
     * which exist while that layer is recomputed.
     *
     * <p>Under the 1F1B pipeline schedule the first of {@code p} stages keeps {@code p} micro
     * batches of {@code layers/p} layers, so this is also the peak of that stage whatever {@code p}
     * is.
     *
     * @param role the role
     * @param shape the model
     * @param sequenceLength tokens per sequence
     * @param microBatch sequences per forward pass
     * @param recompute how much is recomputed
     * @return bytes
     */
    public long trainingActivationBytes(ModelRole role, ModelShape shape, int sequenceLength, int microBatch,
            ActivationRecompute recompute) {
        long perLayer = layerActivationBytes(shape, sequenceLength, microBatch, recompute);
        long layers = (long) shape.layers() * perLayer;
        if (recompute == ActivationRecompute.FULL) {
            layers += layerActivationBytes(shape, sequenceLength, microBatch, ActivationRecompute.NONE);
        }
        return layers + outputActivationBytes(role, shape, sequenceLength, microBatch);
    }

    /**
     * Estimates the working memory of a forward pass without gradients (a frozen role scoring a
     * micro batch): one layer's full activations, since nothing is kept for a backward pass, plus
     * the output layer.
     *
     * @param role the role
     * @param shape the model
     * @param sequenceLength tokens per sequence
     * @param microBatch sequences per forward pass
     * @return bytes
     */
    public long inferenceActivationBytes(ModelRole role, ModelShape shape, int sequenceLength, int microBatch) {
        return layerActivationBytes(shape, sequenceLength, microBatch, ActivationRecompute.NONE)
                + outputActivationBytes(role, shape, sequenceLength, microBatch);
    }

    /**
     * Estimates the KV cache of generation: {@code 2 * layers * kvHeads * headDim * tokens} values
     * in the activation precision.
     *
     * @param shape the model
     * @param tokens cached tokens summed over the sequences being generated, prompts included
     * @return bytes
     * @throws IllegalArgumentException when {@code tokens} is negative
     */
    public long kvCacheBytes(ModelShape shape, long tokens) {
        Objects.requireNonNull(shape, "shape");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must not be negative, got " + tokens);
        }
        return 2L * shape.layers() * shape.kvHeads() * shape.headDim() * tokens * activationPrecision.bytesPerValue();
    }

    private long scaleToActivationPrecision(long formulaBytes) {
        return formulaBytes * activationPrecision.bytesPerValue() / FORMULA_ACTIVATION_BYTES;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    /** Builder of {@link MemoryEstimator}. */
    public static final class Builder {

        private Precision weightPrecision = Precision.BF16;
        private Precision activationPrecision = Precision.BF16;
        private boolean masterWeights = true;
        private int headOutputs = 1;

        private Builder() {}

        /**
         * Sets the storage precision of weights and gradients. Default: {@link Precision#BF16}.
         *
         * @param precision the precision
         * @return this builder
         */
        public Builder optWeightPrecision(Precision precision) {
            this.weightPrecision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        /**
         * Sets the precision of activations and of the KV cache. Default: {@link Precision#BF16}.
         * The activation formulas assume 16-bit values, so float32 doubles them.
         *
         * @param precision the precision
         * @return this builder
         */
        public Builder optActivationPrecision(Precision precision) {
            this.activationPrecision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        /**
         * Sets whether trainable roles keep a float32 master copy of weights that are stored in a
         * lower precision. Default: true. Ignored for float32 weights.
         *
         * @param keep true to count the master copy
         * @return this builder
         */
        public Builder optMasterWeights(boolean keep) {
            this.masterWeights = keep;
            return this;
        }

        /**
         * Sets the number of outputs of the linear head of reward and critic models. Default: 1.
         *
         * @param outputs number of outputs, at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code outputs} is below 1
         */
        public Builder optHeadOutputs(int outputs) {
            if (outputs < 1) {
                throw new IllegalArgumentException("head outputs must be at least 1, got " + outputs);
            }
            this.headOutputs = outputs;
            return this;
        }

        /** Builds the estimator. */
        public MemoryEstimator build() {
            return new MemoryEstimator(this);
        }
    }
}
