package org.rlhf4j.hardware;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses a layout for every role of a GPU group.
 *
 * <p>Each role starts at its most preferred layout (see {@link RoleCosting#layouts}). While the
 * group's peak is above the usable memory, the role with the largest per-GPU total moves to its
 * next layout that costs strictly less. The search stops when the group fits or when no role can
 * shrink further. Because adding tensor or pipeline parallelism never makes a role's shard
 * larger, the first fitting layout of a lone role is also its most preferred fitting layout.
 */
final class GroupSolver {

    private final RoleCosting costing;
    private final int gpusPerNode;
    private final long usableBytes;
    private final int[] fixedLayout;

    /**
     * Creates a solver for one cluster.
     *
     * @param fixedLayout {tensor, pipeline} that every role must use, or null to let the solver choose
     */
    GroupSolver(RoleCosting costing, int gpusPerNode, long usableBytes, int[] fixedLayout) {
        this.costing = costing;
        this.gpusPerNode = gpusPerNode;
        this.usableBytes = usableBytes;
        this.fixedLayout = fixedLayout == null ? null : fixedLayout.clone();
    }

    /** Returns the layouts of the roles on {@code gpus} GPUs, or null when a role has no valid layout. */
    GroupSolution solve(List<RoleSpec> roles, int gpus) {
        List<List<RoleCost>> options = new ArrayList<>();
        for (RoleSpec role : roles) {
            List<RoleCost> costs = layouts(role, gpus).stream().map(layout -> costing.cost(role, layout)).toList();
            if (costs.isEmpty()) {
                return null;
            }
            options.add(costs);
        }
        int[] at = new int[roles.size()];
        RoleCost[] rejected = new RoleCost[roles.size()];
        while (true) {
            List<RoleCost> chosen = new ArrayList<>();
            for (int i = 0; i < at.length; i++) {
                chosen.add(options.get(i).get(at[i]));
            }
            GroupSolution solution = new GroupSolution(gpus, roles, chosen, Arrays.asList(rejected.clone()),
                    usableBytes);
            int shrink = solution.fits() ? -1 : roleToShrink(options, at);
            if (shrink < 0) {
                return solution;
            }
            rejected[shrink] = options.get(shrink).get(at[shrink]);
            at[shrink] = nextCheaper(options.get(shrink), at[shrink]);
        }
    }

    private List<Parallelism> layouts(RoleSpec role, int gpus) {
        if (fixedLayout == null) {
            return costing.layouts(role, gpus, gpusPerNode);
        }
        int modelParallel = fixedLayout[0] * fixedLayout[1];
        if (gpus % modelParallel != 0) {
            return List.of();
        }
        return List.of(new Parallelism(fixedLayout[0], fixedLayout[1], gpus / modelParallel));
    }

    private static int roleToShrink(List<List<RoleCost>> options, int[] at) {
        int shrink = -1;
        long largest = -1;
        for (int i = 0; i < at.length; i++) {
            long total = options.get(i).get(at[i]).totalBytes();
            if (nextCheaper(options.get(i), at[i]) >= 0 && total > largest) {
                shrink = i;
                largest = total;
            }
        }
        return shrink;
    }

    private static int nextCheaper(List<RoleCost> costs, int current) {
        long total = costs.get(current).totalBytes();
        for (int next = current + 1; next < costs.size(); next++) {
            if (costs.get(next).totalBytes() < total) {
                return next;
            }
        }
        return -1;
    }
}
