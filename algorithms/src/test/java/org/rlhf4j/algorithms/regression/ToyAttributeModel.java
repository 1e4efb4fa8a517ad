package org.rlhf4j.algorithms.regression;

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
 * A small trainable multi-output model: the masked mean of one-hot token vectors times an
 * embedding table, a tanh, and a linear head with one output and one bias per attribute. Weights
 * come from a seeded {@link Random}, so two models with the same seed are equal bit for bit.
 */
final class ToyAttributeModel implements RewardModel {

    static final String EMBEDDING = "embedding";
    static final String HEAD_WEIGHT = "head.weight";
    static final String HEAD_BIAS = "head.bias";

    private final NDManager manager;
    private final int vocabSize;
    private final RewardHeadSpec head;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    ToyAttributeModel(int vocabSize, int dimension, RewardHeadSpec head, long seed) {
        this.manager = NDManager.newBaseManager(Device.cpu());
        this.vocabSize = vocabSize;
        this.head = head;
        Random random = new Random(seed);
        parameters.put(EMBEDDING, normal(random, new Shape(vocabSize, dimension), 0.5f));
        parameters.put(HEAD_WEIGHT, normal(random, new Shape(dimension, head.outputs()), 0.5f));
        parameters.put(HEAD_BIAS, manager.zeros(new Shape(head.outputs()), DataType.FLOAT32));
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
        return head;
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
        NDArray pooled = counts.div(lengths).matMul(parameters.get(EMBEDDING));
        return pooled.tanh().matMul(parameters.get(HEAD_WEIGHT)).add(parameters.get(HEAD_BIAS));
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
    Map<String, float[]> snapshot() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        parameters.forEach((name, array) -> copy.put(name, array.toFloatArray()));
        return copy;
    }
}
