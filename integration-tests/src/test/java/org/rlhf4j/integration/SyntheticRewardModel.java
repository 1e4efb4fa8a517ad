package org.rlhf4j.integration;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.models.llama.LlamaConfig;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.models.reward.RewardModel;

/**
 * A reward model with random float32 weights and a chosen shape, large enough that its memory on
 * a GPU is dominated by weights, gradients, optimizer state and activations rather than by the
 * CUDA context. Weights are drawn from N(0, 0.02), norm weights are 1.
 */
final class SyntheticRewardModel implements RewardModel {

    private final LlamaModel decoder;
    private final NDArray headWeight;
    private final NDArray headBias;
    private final Map<String, NDArray> parameters;

    private SyntheticRewardModel(LlamaModel decoder, NDArray headWeight, NDArray headBias) {
        this.decoder = decoder;
        this.headWeight = headWeight;
        this.headBias = headBias;
        Map<String, NDArray> all = new LinkedHashMap<>(decoder.parameters());
        all.put(LlamaRewardModel.HEAD_WEIGHT, headWeight);
        all.put(LlamaRewardModel.HEAD_BIAS, headBias);
        this.parameters = Collections.unmodifiableMap(all);
    }

    /**
     * Creates the model on a device.
     *
     * @param config the decoder shape
     * @param device where the parameters live
     * @return the model; the caller closes it
     */
    static SyntheticRewardModel create(LlamaConfig config, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> entry : config.parameterShapes().entrySet()) {
                boolean norm = entry.getKey().endsWith("norm.weight");
                NDArray array = norm ? manager.ones(entry.getValue(), DataType.FLOAT32)
                        : manager.randomNormal(0f, 0.02f, entry.getValue(), DataType.FLOAT32);
                weights.put(entry.getKey(), array);
            }
            LlamaModel decoder = LlamaModel.of(config, manager, weights);
            NDArray headWeight = manager.randomNormal(0f, 0.02f, new Shape(1, config.embeddingLength()),
                    DataType.FLOAT32);
            NDArray bias = manager.zeros(new Shape(1), DataType.FLOAT32);
            return new SyntheticRewardModel(decoder, headWeight, bias);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Counts the parameters, head included. */
    long parameterCount() {
        return parameters.values().stream().mapToLong(array -> array.getShape().size()).sum();
    }

    @Override
    public RewardHeadSpec head() {
        return RewardHeadSpec.scalar();
    }

    @Override
    public NDManager manager() {
        return decoder.manager();
    }

    @Override
    public NDArray forward(NDArray ids, NDArray mask) {
        NDArray hidden = decoder.hiddenStates(ids, mask);
        NDArray last = LlamaRewardModel.lastTokenValues(hidden, mask);
        return Linear.linear(last, headWeight, headBias).singletonOrThrow();
    }

    @Override
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    @Override
    public void save(Path directory) {
        throw new UnsupportedOperationException("The synthetic test model is never saved");
    }

    @Override
    public void close() {
        decoder.close();
    }
}
