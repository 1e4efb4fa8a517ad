package org.rlhf4j.algorithms.parallel;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.algorithms.policy.ParameterGradients;
import org.rlhf4j.models.reward.RewardModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data parallelism over the devices of one node: one {@link RewardModel} replica per device, each
 * batch split across the replicas, the gradients summed on the first device, and the first
 * replica's weights copied to the others after each optimizer step.
 *
 * <p>DJL 0.36 has no all-reduce, so the reduction is a gather: {@link #sumGradients} copies each
 * replica's gradients to device 0 with {@link NDArray#toDevice} and adds them there, and
 * {@link #broadcastParameters} copies the updated weights of replica 0 back, bit for bit. A caller
 * that weights the loss of each shard by {@code shardPairs / stepPairs}, as for uneven gradient
 * accumulation, gets a summed gradient equal to the single-device gradient of the whole batch up
 * to float rounding. {@link #shard} gives the even split by pair count.
 *
 * <p>Threads: the replicas run one after another in the caller's thread. DJL 0.36's PyTorch
 * gradient collector is process-wide: opening a second one while the first is open throws
 * {@code IllegalStateException}, and PyTorch's grad mode is per thread, so one collector cannot
 * record forward passes run on other threads. On CUDA the kernels of one replica still run
 * asynchronously while the next replica's work is queued, but every read of a value back to the
 * host (the reward model's input checks, the loss and accuracy) waits for the device.
 * NOTE: not yet measured on several GPUs. Expect the gain to be mainly memory per device, with a
 * wall-clock speed-up well below the number of devices.
 *
 * <p>Ownership: replica 0 is the model given to {@link #of}, which stays owned by the caller;
 * {@link #close()} closes the other replicas. A device may appear more than once, which places
 * several replicas on it (this is how the CPU tests run several replicas). Instances are not
 * thread-safe.
 */
public final class DataParallel implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DataParallel.class);

    private final List<Device> devices;
    private final List<RewardModel> replicas;
    private final List<Map<String, NDArray>> parameters;
    private boolean closed;

    private DataParallel(List<Device> devices, List<RewardModel> replicas) {
        this.devices = devices;
        this.replicas = Collections.unmodifiableList(replicas);
        List<Map<String, NDArray>> all = new ArrayList<>();
        for (RewardModel replica : replicas) {
            all.add(Collections.unmodifiableMap(new LinkedHashMap<>(replica.parameters())));
        }
        this.parameters = Collections.unmodifiableList(all);
    }

    /**
     * Creates a group whose replicas after the first are {@link RewardModel#copy copies} of
     * {@code primary}.
     *
     * @param primary replica 0, on {@code devices.get(0)}; it stays owned by the caller
     * @param devices one device per replica, at least one, the primary's device first
     * @return the group, with the primary's weights on every replica
     * @throws IllegalArgumentException when the list is empty, a device is not available, or the
     *     first device is not the primary's
     * @throws UnsupportedOperationException when more than one device is given and the model cannot
     *     be copied
     */
    public static DataParallel of(RewardModel primary, List<Device> devices) {
        Objects.requireNonNull(primary, "primary");
        return of(primary, devices, primary::copy);
    }

    /**
     * Creates a group whose replicas after the first come from a factory, for example one that
     * loads the same checkpoint onto each device. The factory's weights are then overwritten with
     * the primary's, so every replica starts from identical weights even when the factory
     * initialises a new head at random.
     *
     * @param primary replica 0, on {@code devices.get(0)}; it stays owned by the caller
     * @param devices one device per replica, at least one, the primary's device first
     * @param factory creates a replica on a device; called once per device after the first
     * @return the group
     * @throws IllegalArgumentException when the list is empty, a device is not available, the first
     *     device is not the primary's, or a replica's parameters differ in name or shape from the
     *     primary's
     */
    public static DataParallel of(RewardModel primary, List<Device> devices, ReplicaFactory factory) {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(factory, "factory");
        List<Device> checked = requireAvailable(devices);
        Device primaryDevice = primary.manager().getDevice();
        if (!checked.get(0).equals(primaryDevice)) {
            throw new IllegalArgumentException("The first device " + checked.get(0) + " must be the model's device "
                    + primaryDevice + "; load the model onto " + checked.get(0) + " first");
        }
        List<RewardModel> replicas = new ArrayList<>(List.of(primary));
        try {
            for (Device device : checked.subList(1, checked.size())) {
                replicas.add(createReplica(factory, device, primary));
            }
        } catch (RuntimeException e) {
            replicas.subList(1, replicas.size()).forEach(RewardModel::close);
            throw e;
        }
        DataParallel group = new DataParallel(checked, replicas);
        group.broadcastParameters();
        if (checked.size() > 1) {
            logger.info("Data parallel training with {} replicas on {}", checked.size(), checked);
        }
        return group;
    }

    private static RewardModel createReplica(ReplicaFactory factory, Device device, RewardModel primary) {
        RewardModel replica = Objects.requireNonNull(factory.create(device), "the factory returned null");
        try {
            if (!replica.manager().getDevice().equals(device)) {
                throw new IllegalArgumentException("The replica factory created a model on "
                        + replica.manager().getDevice() + " but " + device + " was requested");
            }
            ParameterCopies.requireSameLayout(primary.parameters(), replica.parameters());
            return replica;
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
    }

    /**
     * Checks that every device can be used by the default engine: the CPU always can, a GPU when
     * its index is below the engine's GPU count.
     *
     * @param devices the devices, at least one
     * @return an immutable copy of the list
     * @throws IllegalArgumentException naming the first device that is not available, with the
     *     number of GPUs the engine reports
     */
    public static List<Device> requireAvailable(List<Device> devices) {
        Objects.requireNonNull(devices, "devices");
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("At least one device is needed (--devices)");
        }
        List<Device> checked = List.copyOf(devices);
        for (Device device : checked) {
            requireAvailable(device);
        }
        return checked;
    }

    private static void requireAvailable(Device device) {
        if (Device.Type.CPU.equals(device.getDeviceType())) {
            return;
        }
        if (!device.isGpu()) {
            throw new IllegalArgumentException("Device " + device + " is not supported (--devices): use cpu or a"
                    + " CUDA GPU");
        }
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        if (device.getDeviceId() < 0 || device.getDeviceId() >= gpus) {
            throw new IllegalArgumentException("Device " + device + " is not available (--devices): the "
                    + engine.getEngineName() + " engine sees " + gpus + " CUDA device(s)");
        }
    }

    /**
     * Splits items into {@code parts} contiguous shards whose sizes differ by at most one, larger
     * shards first: 5 items in 2 parts give sizes 3 and 2. With fewer items than parts the last
     * shards are empty.
     *
     * @param items the items, for example the pairs of a micro batch
     * @param parts the number of shards, at least 1
     * @param <T> the item type
     * @return {@code parts} unmodifiable views in order, which together hold every item once
     */
    public static <T> List<List<T>> shard(List<T> items, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1, got " + parts);
        }
        int base = items.size() / parts;
        int larger = items.size() % parts;
        List<List<T>> shards = new ArrayList<>(parts);
        int from = 0;
        for (int part = 0; part < parts; part++) {
            int to = from + base + (part < larger ? 1 : 0);
            shards.add(Collections.unmodifiableList(items.subList(from, to)));
            from = to;
        }
        return Collections.unmodifiableList(shards);
    }

    /**
     * Splits items into one shard per replica with {@link #shard}.
     *
     * @param items the items of one batch
     * @param <T> the item type
     * @return one shard per replica, in replica order
     */
    public <T> List<List<T>> scatter(List<T> items) {
        return shard(items, size());
    }

    /** Returns the number of replicas. */
    public int size() {
        return replicas.size();
    }

    /** Returns the devices, one per replica, in replica order. */
    public List<Device> devices() {
        return devices;
    }

    /** Returns the replicas; replica 0 is the primary model given to {@link #of}. */
    public List<RewardModel> replicas() {
        return replicas;
    }

    /**
     * Returns one replica's live parameters by name, in the primary model's order.
     *
     * @param replica the replica index, 0-based
     * @return an unmodifiable map of the live arrays
     */
    public Map<String, NDArray> parameters(int replica) {
        return parameters.get(replica);
    }

    /**
     * Turns gradient recording on or off for the parameters of every replica.
     *
     * @param requiresGradient whether gradients are recorded
     */
    public void setRequiresGradient(boolean requiresGradient) {
        requireOpen();
        for (Map<String, NDArray> replicaParameters : parameters) {
            replicaParameters.values().forEach(parameter -> parameter.setRequiresGradient(requiresGradient));
        }
    }

    /**
     * Sums the gradients of all replicas into replica 0's gradient arrays, on device 0.
     *
     * <p>The returned arrays are the gradients of replica 0's parameters (they share storage with
     * them), attached to {@code scope} so that closing it releases the Java handles. The other
     * replicas' gradients are left unchanged. With one replica this only fetches the gradients.
     *
     * @param scope a manager on device 0 that owns the returned handles, typically the step's manager
     * @return replica 0's gradients by parameter name, holding the sum over replicas
     */
    public Map<String, NDArray> sumGradients(NDManager scope) {
        requireOpen();
        Map<String, NDArray> sum = ParameterGradients.fetch(parameters.get(0), scope);
        for (int replica = 1; replica < size(); replica++) {
            try (NDManager replicaScope = replicas.get(replica).manager().newSubManager()) {
                Map<String, NDArray> gradients = ParameterGradients.fetch(parameters.get(replica), replicaScope);
                for (Map.Entry<String, NDArray> entry : sum.entrySet()) {
                    NDArray gradient = gradients.get(entry.getKey());
                    // Returns the gradient itself when the replica shares device 0, as on CPU.
                    NDArray onPrimary = gradient.toDevice(devices.get(0), false);
                    onPrimary.attach(replicaScope);
                    entry.getValue().addi(onPrimary);
                }
            }
        }
        return sum;
    }

    /** Zeroes the gradients of every replica in place. */
    public void zeroGradients() {
        requireOpen();
        for (int replica = 0; replica < size(); replica++) {
            try (NDManager scope = replicas.get(replica).manager().newSubManager()) {
                for (NDArray gradient : ParameterGradients.fetch(parameters.get(replica), scope).values()) {
                    gradient.muli(0f);
                }
            }
        }
    }

    /**
     * Copies the weights of replica 0 into every other replica, bit for bit, outside any autograd
     * graph. Call it after each optimizer step and after restoring a checkpoint into replica 0.
     */
    public void broadcastParameters() {
        requireOpen();
        Map<String, NDArray> source = parameters.get(0);
        for (int replica = 1; replica < size(); replica++) {
            Map<String, NDArray> target = parameters.get(replica);
            for (Map.Entry<String, NDArray> entry : source.entrySet()) {
                ParameterCopies.copyExactly(entry.getValue(), target.get(entry.getKey()));
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The data-parallel group is closed");
        }
    }

    /** Closes every replica but the primary, which stays open and owned by the caller. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            replicas.subList(1, replicas.size()).forEach(RewardModel::close);
        }
    }

    /** Copies of parameter values between replicas. */
    static final class ParameterCopies {

        private ParameterCopies() {}

        static void requireSameLayout(Map<String, NDArray> primary, Map<String, NDArray> replica) {
            if (!primary.keySet().equals(replica.keySet())) {
                throw new IllegalArgumentException("A replica has parameters " + replica.keySet()
                        + " but the primary model has " + primary.keySet());
            }
            for (Map.Entry<String, NDArray> entry : primary.entrySet()) {
                NDArray other = replica.get(entry.getKey());
                if (!other.getShape().equals(entry.getValue().getShape())
                        || other.getDataType() != entry.getValue().getDataType()) {
                    throw new IllegalArgumentException("Parameter '" + entry.getKey() + "' is " + other.getDataType()
                            + " " + other.getShape() + " in a replica but " + entry.getValue().getDataType() + " "
                            + entry.getValue().getShape() + " in the primary model");
                }
            }
        }

        /**
         * Copies values bit for bit into a live array through a detached view, so that autograd does
         * not record the write. An arithmetic copy such as {@code target * 0 + source} would turn
         * -0.0 into +0.0.
         */
        static void copyExactly(NDArray source, NDArray target) {
            try (NDManager scope = target.getManager().newSubManager()) {
                NDArray view = target.stopGradient();
                view.attach(scope);
                NDArray value = source.stopGradient();
                value.attach(scope);
                if (!source.getDevice().equals(target.getDevice())) {
                    value = value.toDevice(target.getDevice(), true);
                    value.attach(scope);
                }
                view.set(new NDIndex("..."), value);
            }
        }
    }
}
