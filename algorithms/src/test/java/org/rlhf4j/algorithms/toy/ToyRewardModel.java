package org.rlhf4j.algorithms.toy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.models.reward.RewardModel;

/**
 * A small trainable reward model: the masked mean of one-hot token vectors times an embedding
 * table, a tanh, and a linear head without bias. The result does not depend on the padding side.
 * A head bias is left out because it cancels in every pairwise loss: its gradient is rounding
 * noise, which Adam scales up to full-size steps of random sign. Weights come
 * from a seeded {@link Random}, so two models with the same seed are equal bit for bit.
 *
 * <p>Every array that {@link #forward} creates is attached to the manager of {@code ids}: each
 * operation's first operand is derived from {@code ids}.
 */
public final class ToyRewardModel implements RewardModel {

    private final NDManager manager;
    private final int vocabSize;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    public ToyRewardModel(int vocabSize, int dimension, long seed) {
        this.manager = NDManager.newBaseManager(Device.cpu());
        this.vocabSize = vocabSize;
        Random random = new Random(seed);
        parameters.put("embedding", normal(random, new Shape(vocabSize, dimension), 0.5f));
        parameters.put("head.weight", normal(random, new Shape(dimension, 1), 0.5f));
    }

    private NDArray normal(Random random, Shape shape, float scale) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return manager.create(values, shape);
    }

    @Override
    public RewardHeadSpec head() {
        return RewardHeadSpec.scalar();
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDArray forward(NDArray ids, NDArray mask) {
        NDArray oneHot = ids.toType(DataType.INT64, false).oneHot(vocabSize);
        NDArray weights = mask.toType(DataType.FLOAT32, false).expandDims(-1);
        NDArray counts = oneHot.mul(weights).sum(new int[] {1});
        NDArray lengths = weights.sum(new int[] {1});
        NDArray pooled = counts.div(lengths).matMul(parameters.get("embedding"));
        return pooled.tanh().matMul(parameters.get("head.weight"));
    }

    @Override
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    @Override
    public void save(Path directory) {
        throw new UnsupportedOperationException("The toy model is not saved");
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Returns a copy of every parameter's values, for comparisons. */
    public Map<String, float[]> snapshot() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        parameters.forEach((name, array) -> copy.put(name, array.toFloatArray()));
        return copy;
    }

    /** Returns the number of arrays attached to the model's manager and its sub-managers. */
    public int attachedArrays() {
        return manager.getManagedArrays().size();
    }
}
