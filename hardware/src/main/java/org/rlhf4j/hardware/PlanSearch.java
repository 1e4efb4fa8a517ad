package org.rlhf4j.hardware;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Tries every way to split the roles into GPU groups and the cluster's GPUs among those groups,
 * and keeps the best one that fits.
 *
 * <p>Preference: fewer groups first, because roles that share all GPUs each get the most data
 * parallelism. Among splits with the same number of groups: the largest smallest DP of the
 * trainable roles, then the lowest peak as a share of the usable memory. With several nodes each
 * group gets whole nodes; on one node the GPUs are split into parts that divide the node size.
 */
final class PlanSearch {

    /** One split of the roles into groups, with the GPUs of each group. */
    record Assignment(List<List<Integer>> groups, List<Integer> sizes, List<GroupSolution> solutions) {

        boolean fits() {
            return solutions.stream().allMatch(GroupSolution::fits);
        }
    }

    private final Cluster cluster;
    private final List<RoleSpec> roles;
    private final GroupSolver solver;
    private final long stateBytes;
    private final long minActivationBytes;
    private final long usableBytes;
    private final Map<String, Optional<GroupSolution>> solved = new HashMap<>();

    /**
     * Creates a search.
     *
     * @param stateBytes the roles' weights, gradients and optimizer state before sharding, summed
     * @param minActivationBytes the largest of the roles' smallest possible activations per GPU
     * @param usableBytes usable memory of one GPU
     */
    PlanSearch(Cluster cluster, List<RoleSpec> roles, GroupSolver solver, long stateBytes, long minActivationBytes,
            long usableBytes) {
        this.cluster = cluster;
        this.roles = List.copyOf(roles);
        this.solver = solver;
        this.stateBytes = stateBytes;
        this.minActivationBytes = minActivationBytes;
        this.usableBytes = usableBytes;
    }

    /**
     * Returns the preferred assignment that fits, or empty when none does.
     *
     * <p>Two bounds end the search early. Every layout keeps at least one copy of each role's
     * weights, gradients and optimizer state, so their sum must fit in the usable memory of all
     * GPUs. And each role's activations at the largest tensor parallel size must fit in one GPU.
     */
    Optional<Assignment> best() {
        if (stateBytes > (double) cluster.gpuCount() * usableBytes || minActivationBytes > usableBytes) {
            return Optional.empty();
        }
        for (int groupCount = 1; groupCount <= roles.size(); groupCount++) {
            Assignment best = null;
            for (List<List<Integer>> partition : partitions(groupCount)) {
                for (List<Integer> sizes : allocations(groupCount)) {
                    Assignment candidate = assign(partition, sizes);
                    if (candidate != null && candidate.fits() && (best == null || better(candidate, best))) {
                        best = candidate;
                    }
                }
            }
            if (best != null) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    /** Returns every role on every GPU, the layout the planner reports when nothing fits. */
    Assignment colocated() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            all.add(i);
        }
        return assign(List.of(all), List.of(cluster.gpuCount()));
    }

    private Assignment assign(List<List<Integer>> partition, List<Integer> sizes) {
        List<GroupSolution> solutions = new ArrayList<>();
        for (int g = 0; g < partition.size(); g++) {
            Optional<GroupSolution> solution = solve(partition.get(g), sizes.get(g));
            if (solution.isEmpty()) {
                return null;
            }
            solutions.add(solution.get());
        }
        return new Assignment(partition, sizes, solutions);
    }

    private Optional<GroupSolution> solve(List<Integer> members, int gpus) {
        String key = members + "@" + gpus;
        return solved.computeIfAbsent(key, k -> {
            List<RoleSpec> groupRoles = members.stream().map(roles::get).toList();
            return Optional.ofNullable(solver.solve(groupRoles, gpus));
        });
    }

    private static boolean better(Assignment candidate, Assignment best) {
        int candidateData = smallestTrainableData(candidate);
        int bestData = smallestTrainableData(best);
        if (candidateData != bestData) {
            return candidateData > bestData;
        }
        return largestShare(candidate) < largestShare(best);
    }

    private static int smallestTrainableData(Assignment assignment) {
        int smallest = Integer.MAX_VALUE;
        int smallestAny = Integer.MAX_VALUE;
        for (GroupSolution solution : assignment.solutions()) {
            for (int i = 0; i < solution.roles().size(); i++) {
                int data = solution.chosen().get(i).parallelism().data();
                smallestAny = Math.min(smallestAny, data);
                if (solution.roles().get(i).trainable()) {
                    smallest = Math.min(smallest, data);
                }
            }
        }
        return smallest == Integer.MAX_VALUE ? smallestAny : smallest;
    }

    private static double largestShare(Assignment assignment) {
        return assignment.solutions().stream()
                .mapToDouble(solution -> (double) solution.peakBytes() / solution.usableBytes())
                .max().orElse(0);
    }

    /** Lists the partitions of the roles into exactly {@code groupCount} non-empty groups. */
    private List<List<List<Integer>>> partitions(int groupCount) {
        List<List<List<Integer>>> result = new ArrayList<>();
        collectPartitions(new int[roles.size()], 0, 0, groupCount, result);
        return result;
    }

    /** Walks restricted growth strings: role i joins an existing group or opens the next one. */
    private void collectPartitions(int[] groupOf, int role, int used, int groupCount,
            List<List<List<Integer>>> result) {
        if (role == groupOf.length) {
            if (used == groupCount) {
                List<List<Integer>> partition = new ArrayList<>();
                for (int g = 0; g < groupCount; g++) {
                    partition.add(new ArrayList<>());
                }
                for (int i = 0; i < groupOf.length; i++) {
                    partition.get(groupOf[i]).add(i);
                }
                result.add(partition);
            }
            return;
        }
        for (int g = 0; g <= Math.min(used, groupCount - 1); g++) {
            groupOf[role] = g;
            collectPartitions(groupOf, role + 1, Math.max(used, g + 1), groupCount, result);
        }
    }

    /** Lists the GPU counts of {@code groupCount} groups that together use the whole cluster. */
    private List<List<Integer>> allocations(int groupCount) {
        List<List<Integer>> result = new ArrayList<>();
        if (cluster.nodes() >= groupCount) {
            for (List<Integer> nodes : compositions(cluster.nodes(), groupCount, part -> true)) {
                result.add(nodes.stream().map(count -> count * cluster.gpusPerNode()).toList());
            }
        } else if (cluster.nodes() == 1) {
            int node = cluster.gpusPerNode();
            result.addAll(compositions(node, groupCount, part -> node % part == 0));
        }
        return result;
    }

    private static List<List<Integer>> compositions(int total, int parts, IntPredicate allowed) {
        List<List<Integer>> result = new ArrayList<>();
        collectCompositions(total, parts, allowed, new ArrayList<>(), result);
        return result;
    }

    private static void collectCompositions(int remaining, int parts, IntPredicate allowed,
            List<Integer> prefix, List<List<Integer>> result) {
        if (parts == 1) {
            if (remaining >= 1 && allowed.test(remaining)) {
                List<Integer> composition = new ArrayList<>(prefix);
                composition.add(remaining);
                result.add(composition);
            }
            return;
        }
        for (int part = 1; part <= remaining - (parts - 1); part++) {
            if (allowed.test(part)) {
                prefix.add(part);
                collectCompositions(remaining - part, parts - 1, allowed, prefix, result);
                prefix.remove(prefix.size() - 1);
            }
        }
    }
}
