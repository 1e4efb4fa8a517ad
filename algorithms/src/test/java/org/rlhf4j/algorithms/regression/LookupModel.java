package org.rlhf4j.algorithms.regression;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.models.reward.RewardModel;

/**
 * A model whose outputs are a fixed table row chosen by the token after BOS, so tests can state
 * every prediction by hand. It needs right padding.
 */
final class LookupModel implements RewardModel {

    private final NDManager manager = NDManager.newBaseManager(Device.cpu());
    private final RewardHeadSpec head;
    private final int vocabSize;
    private final NDArray table;

    /**
     * Creates the model.
     *
     * @param head the head; its output count is the table width
     * @param rows one row of outputs per token id
     */
    LookupModel(RewardHeadSpec head, float[][] rows) {
        this.head = head;
        this.vocabSize = rows.length;
        float[] flat = new float[rows.length * head.outputs()];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * head.outputs(), head.outputs());
        }
        this.table = manager.create(flat, new Shape(rows.length, head.outputs()));
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
        NDArray second = ids.get(":, 1").toType(DataType.INT64, false);
        return second.oneHot(vocabSize).toType(DataType.FLOAT32, false).matMul(table);
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Map.of("table", table);
    }

    @Override
    public void save(Path directory) {
        throw new UnsupportedOperationException("The lookup model is not saved");
    }

    @Override
    public void close() {
        manager.close();
    }
}
