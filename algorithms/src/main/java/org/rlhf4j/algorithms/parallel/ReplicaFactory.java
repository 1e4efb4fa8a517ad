package org.rlhf4j.algorithms.parallel;

import ai.djl.Device;
import org.rlhf4j.models.reward.RewardModel;

/** Creates one model replica on a device for a {@link DataParallel} group. */
@FunctionalInterface
public interface ReplicaFactory {

    /**
     * Creates a replica whose parameters have the primary model's names, shapes and types. Its
     * weights are overwritten with the primary's, so they may be anything.
     *
     * @param device the device the replica must live on
     * @return the replica; the group closes it
     */
    RewardModel create(Device device);
}
