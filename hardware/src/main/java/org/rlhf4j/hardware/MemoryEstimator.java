package org.rlhf4j.hardware;

import java.util.Objects;

/**
 * Estimates the memory of the model state of each RLHF role without sharding.
 *
 * <p>A frozen role holds only its weights. A trainable role also keeps gradients in the weight
 * precision, two float32 AdamW moments and, when the weights are not float32, a float32 master
 * copy: 2 + 2 + 8 + 4 = 16 bytes per parameter for bfloat16 weights, and 4 + 4 + 8 = 16 for
 * float32 weights.
 *
 * <pre>{@code
 * MemoryEstimator estimator = MemoryEstimator.builder().build();
 * RoleMemory policy = estimator.estimate(ModelRole.POLICY, ModelShape.LLAMA_3_1_8B);
 * }</pre>
 */
public final class MemoryEstimator {

    private static final int FLOAT32_BYTES = 4;
    private static final int ADAM_MOMENTS = 2;

    private final Precision weightPrecision;
    private final boolean masterWeights;
    private final int headOutputs;

    private MemoryEstimator(Builder builder) {
        this.weightPrecision = builder.weightPrecision;
        this.masterWeights = builder.masterWeights;
        this.headOutputs = builder.headOutputs;
    }

    /** Creates a builder with bfloat16 weights, float32 master weights and a one-output head. */
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

    /** Builder of {@link MemoryEstimator}. */
    public static final class Builder {

        private Precision weightPrecision = Precision.BF16;
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
