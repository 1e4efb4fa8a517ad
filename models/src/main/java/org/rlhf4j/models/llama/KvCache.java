package org.rlhf4j.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The keys and values of every past position of a batch, one pair of arrays per transformer
 * block, for incremental decoding with {@link LlamaModel#logits(NDArray, NDArray, KvCache)}.
 *
 * <p>Each call of the cached forward pass appends the keys (after RoPE) and values of its new
 * tokens, and their attention-mask columns, so the next call only runs the new tokens. Keys and
 * values are stored as {@code [B, T, kvHeads, headDim]} float32 arrays, and the mask as a
 * {@code [B, T]} int64 array. They live in a manager of their own, a child of the model's
 * manager, which {@link #close()} releases (closing the model releases it too). While a cache is
 * open its arrays count among the model manager's arrays.
 *
 * <p>A cache belongs to one model and one batch: its batch size is fixed by the first call. After
 * a forward pass that threw an exception the cache may hold some blocks' keys and not others', so
 * it must be closed and not used again. Instances are not thread-safe.
 */
public final class KvCache implements AutoCloseable {

    private final LlamaModel model;
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private NDArray mask;
    private boolean closed;

    KvCache(LlamaModel model) {
        this.model = model;
        this.manager = model.manager().newSubManager();
        this.manager.setName("llama-kv-cache");
        this.keys = new NDArray[model.config().blockCount()];
        this.values = new NDArray[model.config().blockCount()];
    }

    /** Returns the number of cached positions, 0 before the first forward pass. */
    public int length() {
        return mask == null ? 0 : Math.toIntExact(mask.getShape().get(1));
    }

    /** Returns the batch size fixed by the first forward pass, or 0 before it. */
    public long batchSize() {
        return mask == null ? 0 : mask.getShape().get(0);
    }

    /** Tells whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Checks that the cache may run a forward pass of {@code target} over {@code batch} rows. */
    void checkUsable(LlamaModel target, long batch) {
        if (closed) {
            throw new IllegalStateException("The KV cache is closed");
        }
        if (target != model) {
            throw new IllegalArgumentException("The KV cache belongs to another model");
        }
        if (mask != null && batch != batchSize()) {
            throw new IllegalArgumentException("The KV cache contains " + batchSize() + " sequences but the ids have "
                    + batch + " rows");
        }
    }

    /**
     * Returns the cached mask columns followed by {@code newMask}, as an int64 array attached to
     * {@code scope}. The cache itself is not changed.
     */
    NDArray extendedMask(NDArray newMask, NDManager scope) {
        NDArray added = newMask.toType(DataType.INT64, true);
        added.attach(scope);
        if (mask == null) {
            return added;
        }
        NDArray past = mask.duplicate();
        past.attach(scope);
        return past.concat(added, 1);
    }

    /**
     * Appends the keys and values of the new tokens of one block and returns all keys and values of
     * that block, past and new, shape {@code [B, T, kvHeads, headDim]}.
     *
     * <p>The returned arrays belong to the cache but are temporarily attached to {@code scope}, so
     * that the arrays computed from them join {@code scope} and not the cache's manager; they go
     * back to the cache when {@code scope} closes.
     */
    NDArray[] append(int block, NDArray newKeys, NDArray newValues, NDManager scope) {
        keys[block] = concatInto(keys[block], newKeys);
        values[block] = concatInto(values[block], newValues);
        keys[block].tempAttach(scope);
        values[block].tempAttach(scope);
        return new NDArray[] {keys[block], values[block]};
    }

    private NDArray concatInto(NDArray past, NDArray added) {
        NDArray merged;
        if (past == null) {
            merged = added.duplicate();
        } else {
            merged = past.concat(added, 1);
            past.close();
        }
        merged.attach(manager);
        return merged;
    }

    /** Replaces the cached mask by {@code fullMask}, a copy of which the cache keeps. */
    void commitMask(NDArray fullMask) {
        NDArray kept = fullMask.duplicate();
        kept.attach(manager);
        if (mask != null) {
            mask.close();
        }
        mask = kept;
    }

    /** Releases every cached array. Calling it again does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
