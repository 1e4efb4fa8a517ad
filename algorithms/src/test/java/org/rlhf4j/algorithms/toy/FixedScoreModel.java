package org.rlhf4j.algorithms.toy;

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
 * A reward model with set scores: the score of a sequence is {@code scores[id]} of its second
 * token, the first one after BOS, found through the mask whatever the padding side. Outputs can be
 * given in float16 to check that callers upcast.
 */
public final class FixedScoreModel implements RewardModel {

    private final NDManager manager = NDManager.newBaseManager(Device.cpu());
    private final float[] scores;
    private final DataType outputType;

    public FixedScoreModel(float[] scores, DataType outputType) {
        this.scores = scores.clone();
        this.outputType = outputType;
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
        long[] idValues = ids.toType(DataType.INT64, false).toLongArray();
        long[] maskValues = mask.toType(DataType.INT64, false).toLongArray();
        int rows = (int) ids.getShape().get(0);
        int length = (int) ids.getShape().get(1);
        float[] out = new float[rows];
        for (int row = 0; row < rows; row++) {
            int first = 0;
            while (maskValues[row * length + first] == 0) {
                first++;
            }
            out[row] = scores[(int) idValues[row * length + first + 1]];
        }
        return ids.getManager().create(out, new Shape(rows, 1)).toType(outputType, false);
    }

    @Override
    public Map<String, NDArray> parameters() {
        return Map.of();
    }

    @Override
    public void save(Path directory) {
        throw new UnsupportedOperationException("The fixed-score model is not saved");
    }

    @Override
    public void close() {
        manager.close();
    }
}
