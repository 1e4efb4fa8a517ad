package org.rlhf4j.hardware;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes the human-readable reasons of a placement plan. */
final class PlanText {

    private PlanText() {}

    /** Formats bytes as decimal gigabytes with one decimal, such as {@code "1,128.9 GB"}. */
    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%,.1f GB", bytes / 1e9);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    static String roleWhy(RoleSpec spec, RoleMemory memory, RoleCost cost, RoleCost rejected, GroupSolution group,
            String gpuRange, boolean fixedLayout, RoleCosting costing) {
        StringBuilder why = new StringBuilder();
        why.append(describeModel(spec, memory)).append(' ');
        why.append(layoutSentence(cost, rejected, group, fixedLayout)).append(' ');
        why.append(perGpuSentence(spec, cost, costing)).append(' ');
        why.append(groupSentence(spec, group, gpuRange));
        return why.toString();
    }

    private static String describeModel(RoleSpec spec, RoleMemory memory) {
        String kind = (spec.trainable() ? "trainable" : "frozen") + (spec.generates() ? ", generating" : "");
        String state = spec.trainable() ? "weights, gradients and AdamW state" : "weights";
        return String.format(Locale.ROOT, "%s (%s %s, %.2f B parameters): its %s take %s before sharding.",
                spec.name(), kind, spec.shape().name(), memory.parameters() / 1e9, state, gb(memory.totalBytes()));
    }

    private static String layoutSentence(RoleCost cost, RoleCost rejected, GroupSolution group, boolean fixedLayout) {
        Parallelism layout = cost.parallelism();
        String replicas = layout.data() == 1
                ? " One copy spans the group's " + group.gpus() + " GPUs (DP 1)."
                : " DP " + layout.data() + " replicates it over the group's " + group.gpus() + " GPUs.";
        String model = layout.modelParallelText();
        if (fixedLayout) {
            return model + " is the requested layout." + replicas;
        }
        if (!group.fits()) {
            return model + " is the most sharded layout tried." + replicas;
        }
        if (rejected == null) {
            return model + ", the least sharded layout, fits." + replicas;
        }
        String smaller = rejected.parallelism().modelParallelText() + " needed " + gb(rejected.totalBytes())
                + " per GPU";
        if (group.roles().size() > 1) {
            return model + " lets the shared GPUs fit (at " + smaller + " for this role alone)." + replicas;
        }
        return model + " is the least sharded layout that fits (" + smaller + ")." + replicas;
    }

    private static String perGpuSentence(RoleSpec spec, RoleCost cost, RoleCosting costing) {
        Parallelism layout = cost.parallelism();
        List<String> parts = new ArrayList<>();
        parts.add("weights " + gb(cost.weightBytes()));
        if (spec.trainable()) {
            parts.add("gradients " + gb(cost.gradientBytes()));
            String split = costing.optimizerSharding() && layout.data() > 1
                    ? "split over DP " + layout.data() + ", ZeRO-1"
                    : "not split over DP";
            parts.add("optimizer state " + gb(cost.optimizerBytes()) + " (" + split + ")");
            parts.add("activations " + gb(cost.activationBytes()) + " (" + costing.recompute().label()
                    + " recomputation, " + tokens(spec) + ", divided by TP " + layout.tensor() + ")");
        } else {
            parts.add("forward-pass working memory " + gb(cost.activationBytes()) + " (" + tokens(spec)
                    + ", divided by TP " + layout.tensor() + ")");
        }
        if (spec.generates()) {
            parts.add("KV cache " + gb(cost.kvCacheBytes()) + " (" + tokens(spec) + ")");
        }
        String working = spec.generates() ? "; training and generation alternate, so the larger working set counts"
                : "";
        return "Per GPU: " + String.join(", ", parts) + working + ": " + gb(cost.totalBytes()) + " in all.";
    }

    private static String tokens(RoleSpec spec) {
        return String.format(Locale.ROOT, "%,d tokens x %d sequences", spec.sequenceLength(), spec.microBatch());
    }

    private static String groupSentence(RoleSpec spec, GroupSolution group, String gpuRange) {
        String verdict = group.fits() ? " of " + gb(group.usableBytes()) + " usable."
                : ", more than the " + gb(group.usableBytes()) + " usable.";
        if (group.roles().size() == 1) {
            return "GPUs " + gpuRange + " peak at " + gb(group.peakBytes()) + verdict;
        }
        String others = group.roles().stream().map(RoleSpec::name).filter(name -> !name.equals(spec.name()))
                .collect(Collectors.joining(", "));
        return "It shares GPUs " + gpuRange + " with " + others + "; roles that share GPUs run one after another, so"
                + " their model states add up and only the largest working set counts: peak " + gb(group.peakBytes())
                + verdict;
    }

    static String feasibleExplanation(Cluster cluster, List<GpuGroup> groups, long usable, double reserveFraction) {
        long peak = groups.stream().mapToLong(GpuGroup::peakBytes).max().orElse(0);
        StringBuilder text = new StringBuilder();
        text.append("Fits on ").append(cluster).append(": the peak is ").append(gb(peak)).append(" per GPU of ")
                .append(gb(usable)).append(" usable (").append(gb(cluster.gpu().memoryBytes())).append(" less a ")
                .append(percent(reserveFraction)).append(" reserve).");
        if (groups.size() > 1) {
            String layout = groups.stream()
                    .map(group -> String.join(" and ", group.roles()) + " on GPUs " + group.gpuRange())
                    .collect(Collectors.joining("; "));
            text.append(" The roles run in ").append(groups.size()).append(" GPU groups: ").append(layout).append('.');
        } else if (groups.get(0).roles().size() > 1) {
            text.append(" All roles share all ").append(cluster.gpuCount()).append(" GPUs.");
        }
        return text.toString();
    }

    static String infeasibleExplanation(Cluster cluster, List<RoleSpec> roles, List<RoleMemory> memories,
            GroupSolution colocated, double reserveFraction) {
        long stateTotal = memories.stream().mapToLong(RoleMemory::totalBytes).sum();
        long usableTotal = cluster.gpuCount() * colocated.usableBytes();
        StringBuilder text = new StringBuilder();
        text.append("Does not fit on ").append(cluster).append(". ");
        List<String> perRole = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            perRole.add(roles.get(i).name() + " " + gb(memories.get(i).totalBytes()));
        }
        String subject = roles.size() == 1 ? "The model state (weights" : "The model states (weights";
        text.append(subject).append(roles.stream().anyMatch(RoleSpec::trainable)
                ? ", gradients and optimizer state)" : ")");
        text.append(" need ").append(gb(stateTotal)).append(" before sharding");
        if (roles.size() > 1) {
            text.append(": ").append(String.join(", ", perRole));
        }
        text.append(". The cluster has ").append(gb(cluster.totalMemoryBytes())).append(" of GPU memory, ")
                .append(gb(usableTotal)).append(" after the ").append(percent(reserveFraction)).append(" reserve.");
        if (stateTotal > usableTotal) {
            text.append(" The model state alone is larger than that, so no layout on these GPUs can fit.");
        }
        text.append(" With ").append(roles.size() == 1 ? "the role" : "every role").append(" on all ")
                .append(cluster.gpuCount()).append(" GPUs at the most sharded layout tried (")
                .append(layoutList(roles, colocated)).append("), one GPU would need ")
                .append(gb(colocated.peakBytes())).append(": ").append(gb(colocated.stateBytes()))
                .append(" of model state plus ").append(gb(colocated.workingBytes()))
                .append(" of activations or KV cache, against ").append(gb(colocated.usableBytes()))
                .append(" usable.");
        return text.toString();
    }

    private static String layoutList(List<RoleSpec> roles, GroupSolution solution) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            items.add(roles.get(i).name() + " " + solution.chosen().get(i).parallelism().modelParallelText());
        }
        return String.join(", ", items);
    }

    /** Summarises a fitting plan in one clause, for suggestions. */
    static String layoutSummary(PlacementPlan plan) {
        String layouts = plan.roles().stream()
                .map(role -> role.name() + " " + role.parallelism())
                .collect(Collectors.joining(", "));
        return layouts + "; peak " + gb(plan.peakBytesPerGpu()) + " per GPU";
    }
}
