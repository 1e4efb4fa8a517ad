package org.rlhf4j.hardware;

import java.util.Objects;

/**
 * Nodes of identical GPUs that a plan places roles on.
 *
 * @param gpu the GPU model of every node
 * @param nodes number of nodes, at least 1
 * @param gpusPerNode GPUs in each node, at least 1; tensor parallel groups stay inside a node
 */
public record Cluster(GpuSpec gpu, int nodes, int gpusPerNode) {

    public Cluster {
        Objects.requireNonNull(gpu, "gpu");
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
        }
        if (gpusPerNode < 1) {
            throw new IllegalArgumentException("gpusPerNode must be at least 1, got " + gpusPerNode);
        }
    }

    /**
     * Creates a cluster with the usual node size of the GPU model ({@link GpuSpec#gpusPerNode()}).
     *
     * @param gpu the GPU model
     * @param nodes number of nodes
     * @return the cluster
     */
    public static Cluster of(GpuSpec gpu, int nodes) {
        return new Cluster(gpu, nodes, gpu.gpusPerNode());
    }

    /** Returns {@code nodes * gpusPerNode}. */
    public int gpuCount() {
        return nodes * gpusPerNode;
    }

    /** Returns the memory of all GPUs together, in bytes. */
    public long totalMemoryBytes() {
        return gpuCount() * gpu.memoryBytes();
    }

    /** Returns a copy with another number of nodes. */
    public Cluster withNodes(int count) {
        return new Cluster(gpu, count, gpusPerNode);
    }

    /** Returns a copy with another GPU model and the same node size. */
    public Cluster withGpu(GpuSpec other) {
        return new Cluster(other, nodes, gpusPerNode);
    }

    @Override
    public String toString() {
        return nodes + (nodes == 1 ? " node" : " nodes") + " x " + gpusPerNode + " " + gpu.displayName();
    }
}
