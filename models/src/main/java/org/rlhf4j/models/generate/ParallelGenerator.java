package org.rlhf4j.models.generate;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlhf4j.models.llama.LlamaModel;

/**
 * Samples responses with one {@link Generator} per model replica, each replica usually on its own
 * device, for rollouts and evaluation spread over the devices of a node.
 *
 * <p>{@link #generate} splits the prompts into contiguous shards whose sizes differ by at most
 * one, larger shards first, and shard {@code k} goes to replica {@code k}. Each shard draws the
 * random numbers its prompts would draw in one call over the whole list, so the results equal
 * those of a single {@link Generator} up to float rounding of the logits. Rounding differs because
 * each shard is left-padded to its own longest prompt, and it can change a sampled token only where
 * two tokens are within rounding of a sampling boundary.
 *
 * <p>Threads: the shards run one after another in the caller's thread. A worker thread would start
 * with PyTorch's default grad mode, which records an autograd graph for every parameter that
 * requires gradients, and DJL offers no engine-neutral way to switch that off per thread. On CUDA
 * the kernels of one shard still run while the next is queued, until a sampled token is read back.
 *
 * <p>Replicas made by {@link #of} are copies taken when it is called: after the primary model is
 * trained further, create a new instance. Instances are not thread-safe.
 */
public final class ParallelGenerator implements AutoCloseable {

    private final List<Generator> generators;
    private final List<LlamaModel> ownedCopies;

    private ParallelGenerator(List<Generator> generators, List<LlamaModel> ownedCopies) {
        if (generators.isEmpty()) {
            throw new IllegalArgumentException("At least one generator is needed");
        }
        this.generators = List.copyOf(generators);
        this.ownedCopies = List.copyOf(ownedCopies);
    }

    /**
     * Creates a parallel generator over generators whose models the caller owns and keeps in sync.
     *
     * @param generators one generator per replica, at least one
     * @return the parallel generator; closing it closes no model
     */
    public static ParallelGenerator over(List<Generator> generators) {
        return new ParallelGenerator(Objects.requireNonNull(generators, "generators"), List.of());
    }

    /**
     * Creates a parallel generator over a model and {@link LlamaModel#copy copies} of it on the
     * other devices.
     *
     * @param primary the model, on {@code devices.get(0)}; it stays owned by the caller
     * @param devices one device per replica, the primary's device first; a device may repeat
     * @param useKvCache whether each generator keeps a KV cache
     * @return the parallel generator; {@link #close()} closes the copies
     * @throws IllegalArgumentException when the list is empty or its first device is not the
     *     primary's
     */
    public static ParallelGenerator of(LlamaModel primary, List<Device> devices, boolean useKvCache) {
        Objects.requireNonNull(primary, "primary");
        if (devices.isEmpty() || !devices.get(0).equals(primary.manager().getDevice())) {
            throw new IllegalArgumentException("The first device must be the model's device "
                    + primary.manager().getDevice() + ", got " + devices);
        }
        List<Generator> generators = new ArrayList<>(List.of(new Generator(primary, useKvCache)));
        List<LlamaModel> copies = new ArrayList<>();
        try {
            for (Device device : devices.subList(1, devices.size())) {
                LlamaModel copy = primary.copy(device);
                copies.add(copy);
                generators.add(new Generator(copy, useKvCache));
            }
        } catch (RuntimeException e) {
            copies.forEach(LlamaModel::close);
            throw e;
        }
        return new ParallelGenerator(generators, copies);
    }

    /** Returns the number of replicas. */
    public int size() {
        return generators.size();
    }

    /**
     * Samples one response to each prompt, the prompts split across the replicas.
     *
     * @param prompts the prompt ids, at least one; see {@link Generator#generate(List, SamplingConfig)}
     * @param config the sampling settings
     * @return one result per prompt, in the order of {@code prompts}
     * @throws IllegalArgumentException when a prompt is invalid, as for {@link Generator}
     */
    public List<GenerationResult> generate(List<int[]> prompts, SamplingConfig config) {
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must contain at least one prompt, got " + prompts);
        }
        List<GenerationResult> results = new ArrayList<>(prompts.size());
        int base = prompts.size() / size();
        int larger = prompts.size() % size();
        int from = 0;
        for (int replica = 0; replica < size(); replica++) {
            int to = from + base + (replica < larger ? 1 : 0);
            if (to > from) {
                results.addAll(generators.get(replica).generate(prompts.subList(from, to), config, from));
            }
            from = to;
        }
        return results;
    }

    /** Closes the model copies made by {@link #of}; models passed in by the caller stay open. */
    @Override
    public void close() {
        ownedCopies.forEach(LlamaModel::close);
    }
}
