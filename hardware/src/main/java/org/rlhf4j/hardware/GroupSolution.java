package org.rlhf4j.hardware;

import java.util.List;

/**
 * The layouts chosen for the roles of one GPU group.
 *
 * @param gpus GPUs of the group
 * @param roles the roles, in pipeline order
 * @param chosen the layout and per-GPU cost of each role
 * @param rejected for each role, the last layout tried before the chosen one, or null when the
 *     first layout tried was kept
 * @param usableBytes usable memory of one GPU
 */
record GroupSolution(int gpus, List<RoleSpec> roles, List<RoleCost> chosen, List<RoleCost> rejected,
        long usableBytes) {

    long stateBytes() {
        return chosen.stream().mapToLong(RoleCost::stateBytes).sum();
    }

    long workingBytes() {
        return chosen.stream().mapToLong(RoleCost::workingBytes).max().orElse(0);
    }

    long peakBytes() {
        return stateBytes() + workingBytes();
    }

    boolean fits() {
        return peakBytes() <= usableBytes;
    }
}
