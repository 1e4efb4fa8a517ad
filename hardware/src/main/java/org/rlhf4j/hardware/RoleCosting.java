package org.rlhf4j.hardware;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Computes what a role costs per GPU under each layout the planner may pick.
 *
 * <p>Sharding rules: weights and gradients are divided by {@code TP * PP}, evenly, although in
 * practice the first and last pipeline stages also hold the embedding and the output projection.
 * The optimizer state (AdamW moments and master weights) is further divided by DP when optimizer
 * sharding is on, as in ZeRO stage 1 (Rajbhandari et al. 2020, "ZeRO: Memory Optimizations Toward
 * Training Trillion Parameter Models") and Megatron's distributed optimizer. Activations are divided
 * by TP, which assumes sequence parallelism next to tensor parallelism (Korthikanti et al. 2022,
 * section 4.2.2). The KV cache is divided by PP (layers) and by TP up to the number of KV heads.
 */
final class RoleCosting {

    private static final int[] TENSOR_SIZES = {1, 2, 4, 8, 16, 32, 64};

    private final MemoryEstimator estimator;
    private final ActivationRecompute recompute;
    private final boolean optimizerSharding;

    RoleCosting(MemoryEstimator estimator, ActivationRecompute recompute, boolean optimizerSharding) {
        this.estimator = estimator;
        this.recompute = recompute;
        this.optimizerSharding = optimizerSharding;
    }

    ActivationRecompute recompute() {
        return recompute;
    }

    boolean optimizerSharding() {
        return optimizerSharding;
    }

    RoleMemory memory(RoleSpec spec) {
        return estimator.estimate(spec.role(), spec.shape(), spec.trainable());
    }

    /**
     * Lists the layouts of a role on a group of GPUs, most preferred first: fewest GPUs per model
     * copy (most data parallelism), then the larger tensor parallel size, whose activations are
     * smaller. TP stays within a node and divides the attention heads; PP divides the layers.
     */
    List<Parallelism> layouts(RoleSpec spec, int groupGpus, int gpusPerNode) {
        List<Parallelism> layouts = new ArrayList<>();
        for (int tensor : TENSOR_SIZES) {
            if (!validTensor(spec.shape(), tensor, gpusPerNode)) {
                continue;
            }
            for (int pipeline = 1; pipeline <= spec.shape().layers(); pipeline++) {
                if (spec.shape().layers() % pipeline == 0 && groupGpus % (tensor * pipeline) == 0) {
                    layouts.add(new Parallelism(tensor, pipeline, groupGpus / (tensor * pipeline)));
                }
            }
        }
        layouts.sort(Comparator.comparingInt(Parallelism::modelParallel)
                .thenComparing(Comparator.comparingInt(Parallelism::tensor).reversed()));
        return layouts;
    }

    /**
     * Explains why a fixed layout cannot be used for a role on a cluster, or returns null when it
     * can.
     */
    static String invalidLayoutReason(RoleSpec spec, int tensor, int pipeline, Cluster cluster) {
        ModelShape shape = spec.shape();
        if (tensor > cluster.gpusPerNode() || cluster.gpusPerNode() % tensor != 0) {
            return "TP " + tensor + " must divide the " + cluster.gpusPerNode() + " GPUs of a node";
        }
        if (shape.heads() % tensor != 0) {
            return "TP " + tensor + " must divide the " + shape.heads() + " attention heads of " + shape.name();
        }
        if (pipeline > shape.layers() || shape.layers() % pipeline != 0) {
            return "PP " + pipeline + " must divide the " + shape.layers() + " layers of " + shape.name();
        }
        if (cluster.gpuCount() % (tensor * pipeline) != 0) {
            return "TP " + tensor + " x PP " + pipeline + " must divide the " + cluster.gpuCount() + " GPUs";
        }
        return null;
    }

    /**
     * Returns the smallest activation figure of a role on any layout: at the largest tensor
     * parallel size that fits in a node. No placement can give the role less.
     */
    long minActivationBytes(RoleSpec spec, int gpusPerNode) {
        int largest = 1;
        for (int tensor : TENSOR_SIZES) {
            if (validTensor(spec.shape(), tensor, gpusPerNode)) {
                largest = tensor;
            }
        }
        return ceilDiv(activationBytes(spec), largest);
    }

    RoleCost cost(RoleSpec spec, Parallelism layout) {
        RoleMemory memory = memory(spec);
        long shards = layout.modelParallel();
        long optimizerShards = optimizerSharding ? shards * layout.data() : shards;
        long weights = ceilDiv(memory.weightBytes(), shards);
        long gradients = ceilDiv(memory.gradientBytes(), shards);
        long optimizer = ceilDiv(memory.optimizerStateBytes() + memory.masterWeightBytes(), optimizerShards);
        long activations = ceilDiv(activationBytes(spec), layout.tensor());
        long kvCache = spec.generates() ? kvCacheBytes(spec, layout) : 0;
        return new RoleCost(layout, weights, gradients, optimizer, activations, kvCache);
    }

    private long activationBytes(RoleSpec spec) {
        if (spec.trainable()) {
            return estimator.trainingActivationBytes(spec.role(), spec.shape(), spec.sequenceLength(),
                    spec.microBatch(), recompute);
        }
        return estimator.inferenceActivationBytes(spec.role(), spec.shape(), spec.sequenceLength(), spec.microBatch());
    }

    private long kvCacheBytes(RoleSpec spec, Parallelism layout) {
        long tokens = (long) spec.sequenceLength() * spec.microBatch();
        long whole = estimator.kvCacheBytes(spec.shape(), tokens);
        int headSplit = Math.min(layout.tensor(), spec.shape().kvHeads());
        return ceilDiv(whole, (long) layout.pipeline() * headSplit);
    }

    private static boolean validTensor(ModelShape shape, int tensor, int gpusPerNode) {
        return tensor <= gpusPerNode && gpusPerNode % tensor == 0 && shape.heads() % tensor == 0;
    }

    static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
