package org.rlhf4j.models.reward;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A sequence scorer: a decoder whose hidden state at the last non-padding token feeds a linear
 * head with {@link RewardHeadSpec#outputs()} outputs.
 *
 * <p>Parameters live in the model's own manager. Every array that {@link #forward} creates is
 * attached to the manager of the {@code ids} argument, so a caller that opens a sub-manager per
 * step and closes it afterwards leaves no arrays behind.
 */
public interface RewardModel extends AutoCloseable {

    /** Returns the description of the head. */
    RewardHeadSpec head();

    /** Returns the manager that owns the parameters. */
    NDManager manager();

    /**
     * Scores a batch of token sequences.
     *
     * @param ids token ids, int32 or int64, shape {@code [batch, length]}
     * @param mask 1 at real tokens and 0 at padding, same shape; padding may be on either side
     * @return float32 head outputs at the last position whose mask is 1, shape
     *     {@code [batch, outputs]}
     */
    NDArray forward(NDArray ids, NDArray mask);

    /**
     * Scores a batch and returns the scalar reward of each sequence.
     *
     * @param ids token ids, shape {@code [batch, length]}
     * @param mask attention mask, same shape
     * @return float32 rewards, shape {@code [batch]}
     */
    default NDArray reward(NDArray ids, NDArray mask) {
        return forward(ids, mask).get(":, " + head().rewardIndex());
    }

    /**
     * Returns the trainable parameters by name, in a fixed order. The arrays are the live
     * parameters; an optimizer updates them in place.
     *
     * @return parameters by name
     */
    Map<String, NDArray> parameters();

    /**
     * Writes the model (configuration, head description and weights) to a directory, replacing
     * what is there only once the new files are complete.
     *
     * @param directory the checkpoint directory
     * @throws IOException when writing fails
     */
    void save(Path directory) throws IOException;

    /**
     * Copies this model onto a device, for example to hold one replica per device in
     * data-parallel training. The copy shares no storage with this model, has a manager of its
     * own and does not record gradients until the caller turns that on.
     *
     * <p>The default implementation supports no copies.
     *
     * @param device the device of the copy
     * @return the copy; the caller closes it
     * @throws UnsupportedOperationException when this kind of model cannot be copied
     */
    default RewardModel copy(Device device) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot be copied to " + device
                + "; implement RewardModel.copy(Device) to train it on several devices");
    }

    @Override
    void close();
}
