package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.reward.LlamaRewardModel;

/**
 * The PPO critic: a {@link LlamaModel} decoder with a linear value head (weight [1, D], bias [1])
 * applied at every position instead of only at the last token, as a reward model does.
 *
 * <p>{@link #fromRewardModel} copies the decoder and the reward row of the head of a reward
 * model, so before training the value at a sequence's last token equals the reward model's score
 * of that sequence. The model owns its parameters in its own manager; every array that
 * {@link #values} creates is attached to the manager of the {@code ids} argument.
 */
public final class ValueModel implements AutoCloseable {

    /** Name of the head weight, shape [1, D]. */
    public static final String HEAD_WEIGHT = "value_head.weight";
    /** Name of the head bias, shape [1]. */
    public static final String HEAD_BIAS = "value_head.bias";

    private final LlamaModel decoder;
    private final NDArray headWeight;
    private final NDArray headBias;
    private final Map<String, NDArray> parameters;

    private ValueModel(LlamaModel decoder, NDArray headWeight, NDArray headBias) {
        int width = decoder.config().embeddingLength();
        if (!headWeight.getShape().equals(new Shape(1, width))) {
            throw new IllegalArgumentException("value head weight has shape " + headWeight.getShape() + " but [1, "
                    + width + "] is needed");
        }
        if (!headBias.getShape().equals(new Shape(1))) {
            throw new IllegalArgumentException("value head bias has shape " + headBias.getShape() + " but [1] is needed");
        }
        this.decoder = decoder;
        this.headWeight = headWeight;
        this.headBias = headBias;
        headWeight.setName(HEAD_WEIGHT);
        headBias.setName(HEAD_BIAS);
        Map<String, NDArray> all = new LinkedHashMap<>(decoder.parameters());
        all.put(HEAD_WEIGHT, headWeight);
        all.put(HEAD_BIAS, headBias);
        this.parameters = Collections.unmodifiableMap(all);
    }

    /**
     * Creates a critic from a copy of a reward model's decoder and of the head row that gives its
     * scalar reward. The reward model stays open and unchanged.
     *
     * @param rewardModel the reward model to start from
     * @return the critic; the caller closes it
     */
    public static ValueModel fromRewardModel(LlamaRewardModel rewardModel) {
        Objects.requireNonNull(rewardModel, "rewardModel");
        LlamaModel decoder = ModelCopies.copyOf(rewardModel.decoder());
        try {
            NDManager manager = decoder.manager();
            int row = rewardModel.head().rewardIndex();
            Map<String, NDArray> rewardParameters = rewardModel.parameters();
            NDArray weight;
            NDArray bias;
            try (NDManager scratch = manager.newSubManager()) {
                NDArray fullWeight = ModelCopies.copy(rewardParameters.get(LlamaRewardModel.HEAD_WEIGHT), scratch);
                NDArray fullBias = ModelCopies.copy(rewardParameters.get(LlamaRewardModel.HEAD_BIAS), scratch);
                weight = fullWeight.get(row + ":" + (row + 1)).duplicate();
                bias = fullBias.get(row + ":" + (row + 1)).duplicate();
                weight.attach(manager);
                bias.attach(manager);
            }
            return new ValueModel(decoder, weight, bias);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    /**
     * Creates a critic from a decoder and a head. The critic takes ownership of the decoder and
     * attaches the head arrays to the decoder's manager.
     *
     * @param decoder the decoder, closed by {@link #close()}
     * @param headWeight float32 weight, shape [1, D]
     * @param headBias float32 bias, shape [1]
     * @return the critic
     */
    public static ValueModel of(LlamaModel decoder, NDArray headWeight, NDArray headBias) {
        headWeight.attach(decoder.manager());
        headBias.attach(decoder.manager());
        return new ValueModel(decoder, headWeight.toType(DataType.FLOAT32, false),
                headBias.toType(DataType.FLOAT32, false));
    }

    /**
     * Computes the value at every position.
     *
     * @param ids token ids, int32 or int64, shape [B, T]
     * @param mask 1 at real tokens and 0 at padding, shape [B, T]
     * @return float32 values, shape [B, T], attached to the manager of {@code ids}; values at
     *     padded positions are finite but meaningless
     */
    public NDArray values(NDArray ids, NDArray mask) {
        NDArray hidden = decoder.hiddenStates(ids, mask);
        NDArray values = Linear.linear(hidden, headWeight, headBias).singletonOrThrow();
        Shape shape = ids.getShape();
        return values.reshape(shape.get(0), shape.get(1));
    }

    /** Returns the decoder under the head. */
    public LlamaModel decoder() {
        return decoder;
    }

    /** Returns the manager that owns the parameters. */
    public NDManager manager() {
        return decoder.manager();
    }

    /**
     * Returns the live parameters: the decoder's (GGUF tensor names) followed by
     * {@link #HEAD_WEIGHT} and {@link #HEAD_BIAS}.
     */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Turns gradient tracking on or off for every parameter, head included.
     *
     * @param requiresGradient whether gradients are recorded
     */
    public void setRequiresGradient(boolean requiresGradient) {
        for (NDArray parameter : parameters.values()) {
            parameter.setRequiresGradient(requiresGradient);
        }
    }

    /** Closes the decoder's manager and with it every parameter. */
    @Override
    public void close() {
        decoder.close();
    }
}
