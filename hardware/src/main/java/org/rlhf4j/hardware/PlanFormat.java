package org.rlhf4j.hardware;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Locale;

/** Renders a {@link PlacementPlan} as a text table or as JSON. */
final class PlanFormat {

    private static final String ROLE_ROW = "%-10s %-18s %-5s %-4s %3s %3s %4s  %-9s %8s %8s %8s %8s %8s %8s%n";
    private static final String GROUP_ROW = "%-6s %-9s %-36s %10s %10s  %s%n";

    private PlanFormat() {}

    static String table(PlacementPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Placement on ").append(plan.cluster()).append(": ")
                .append(plan.feasible() ? "fits" : "does not fit").append('\n');
        out.append(String.format(Locale.ROOT,
                "Per GPU: %.1f GB, %.1f GB usable after a %s reserve. Activation recomputation: %s."
                        + " Optimizer state split over DP (ZeRO-1): %s.%n",
                plan.cluster().gpu().memoryBytes() / 1e9, plan.usableBytesPerGpu() / 1e9,
                PlanText.percent(plan.reserveFraction()), plan.recompute().label(),
                plan.optimizerSharding() ? "yes" : "no"));

        out.append('\n');
        out.append(String.format(Locale.ROOT, ROLE_ROW, "ROLE", "MODEL", "TRAIN", "GEN", "TP", "PP", "DP", "GPUS",
                "WEIGHTS", "GRADS", "OPTIM", "ACTIV", "KV", "TOTAL"));
        for (RolePlacement role : plan.roles()) {
            Parallelism layout = role.parallelism();
            String gpus = role.gpuCount() == 1 ? Integer.toString(role.firstGpu())
                    : role.firstGpu() + "-" + (role.firstGpu() + role.gpuCount() - 1);
            out.append(String.format(Locale.ROOT, ROLE_ROW, role.name(), role.spec().shape().name(),
                    yesNo(role.spec().trainable()), yesNo(role.spec().generates()), layout.tensor(),
                    layout.pipeline(), layout.data(), gpus, gigabytes(role.weightBytes()),
                    gigabytes(role.gradientBytes()), gigabytes(role.optimizerBytes()),
                    gigabytes(role.activationBytes()), gigabytes(role.kvCacheBytes()), gigabytes(role.totalBytes())));
        }
        out.append("(memory in GB per GPU)\n\n");

        out.append(String.format(Locale.ROOT, GROUP_ROW, "GROUP", "GPUS", "ROLES", "PEAK GB", "USABLE GB", "FITS"));
        for (GpuGroup group : plan.groups()) {
            out.append(String.format(Locale.ROOT, GROUP_ROW, group.index(), group.gpuRange(),
                    String.join(", ", group.roles()), gigabytes(group.peakBytes()),
                    gigabytes(group.usableBytes()), yesNo(group.fits())));
        }

        out.append("\nWhy:\n");
        for (RolePlacement role : plan.roles()) {
            out.append("  ").append(role.why()).append('\n');
        }

        out.append('\n').append(plan.explanation()).append('\n');
        if (!plan.suggestions().isEmpty()) {
            out.append("What would fit (one change at a time):\n");
            plan.suggestions().forEach(suggestion -> out.append("  - ").append(suggestion).append('\n'));
        }
        return out.toString();
    }

    static String json(PlacementPlan plan) {
        JsonObject root = new JsonObject();
        root.addProperty("feasible", plan.feasible());
        root.add("cluster", cluster(plan));
        root.addProperty("reserve_fraction", plan.reserveFraction());
        root.addProperty("usable_bytes_per_gpu", plan.usableBytesPerGpu());
        root.addProperty("activation_recompute", plan.recompute().label());
        root.addProperty("optimizer_sharding", plan.optimizerSharding());
        root.addProperty("peak_bytes_per_gpu", plan.peakBytesPerGpu());
        JsonArray roles = new JsonArray();
        plan.roles().forEach(role -> roles.add(role(role)));
        root.add("roles", roles);
        JsonArray groups = new JsonArray();
        plan.groups().forEach(group -> groups.add(group(group)));
        root.add("groups", groups);
        root.addProperty("explanation", plan.explanation());
        JsonArray suggestions = new JsonArray();
        plan.suggestions().forEach(suggestions::add);
        root.add("suggestions", suggestions);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    private static JsonObject cluster(PlacementPlan plan) {
        JsonObject cluster = new JsonObject();
        cluster.addProperty("gpu", plan.cluster().gpu().name());
        cluster.addProperty("gpu_memory_bytes", plan.cluster().gpu().memoryBytes());
        cluster.addProperty("nodes", plan.cluster().nodes());
        cluster.addProperty("gpus_per_node", plan.cluster().gpusPerNode());
        return cluster;
    }

    private static JsonObject role(RolePlacement role) {
        JsonObject json = new JsonObject();
        json.addProperty("role", role.name());
        json.addProperty("model", role.spec().shape().name());
        json.addProperty("parameters", role.parameters());
        json.addProperty("trainable", role.spec().trainable());
        json.addProperty("generates", role.spec().generates());
        json.addProperty("sequence_length", role.spec().sequenceLength());
        json.addProperty("micro_batch", role.spec().microBatch());
        json.addProperty("tensor_parallel", role.parallelism().tensor());
        json.addProperty("pipeline_parallel", role.parallelism().pipeline());
        json.addProperty("data_parallel", role.parallelism().data());
        json.addProperty("group", role.group());
        json.addProperty("first_gpu", role.firstGpu());
        json.addProperty("gpu_count", role.gpuCount());
        json.addProperty("unsharded_state_bytes", role.unshardedStateBytes());
        JsonObject perGpu = new JsonObject();
        perGpu.addProperty("weights", role.weightBytes());
        perGpu.addProperty("gradients", role.gradientBytes());
        perGpu.addProperty("optimizer", role.optimizerBytes());
        perGpu.addProperty("activations", role.activationBytes());
        perGpu.addProperty("kv_cache", role.kvCacheBytes());
        perGpu.addProperty("total", role.totalBytes());
        json.add("bytes_per_gpu", perGpu);
        json.addProperty("why", role.why());
        return json;
    }

    private static JsonObject group(GpuGroup group) {
        JsonObject json = new JsonObject();
        json.addProperty("group", group.index());
        json.addProperty("first_gpu", group.firstGpu());
        json.addProperty("gpu_count", group.gpuCount());
        JsonArray roles = new JsonArray();
        group.roles().forEach(roles::add);
        json.add("roles", roles);
        json.addProperty("state_bytes_per_gpu", group.stateBytes());
        json.addProperty("working_bytes_per_gpu", group.workingBytes());
        json.addProperty("peak_bytes_per_gpu", group.peakBytes());
        json.addProperty("usable_bytes_per_gpu", group.usableBytes());
        json.addProperty("fits", group.fits());
        return json;
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e9);
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
