package org.rlhf4j.models.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rlhf4j.models.gguf.GgufFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Llama decoder written with DJL operators.
 *
 * <p>The token embedding feeds the blocks. Each block applies RMSNorm, grouped-query attention
 * with RoPE under a causal and key-padding mask, and a residual add, then RMSNorm, a SwiGLU
 * feed-forward layer and a second residual add. A final RMSNorm gives the hidden states, and the
 * logits are their products with the output classifier (the token embedding when tied).
 *
 * <p>Parameters are float32 and live in the model's own {@link NDManager}, keyed by their GGUF
 * tensor names. Every array that {@link #hiddenStates} and {@link #logits} create is attached
 * to the manager of the {@code ids} argument, never to the model's manager, so a caller that
 * runs each step in a sub-manager and closes it leaves nothing behind. {@code ids} and
 * {@code mask} must be on the model's device.
 *
 * <p>Padding may be on either side: RoPE positions count real tokens only, and padded keys are
 * masked, so the outputs at real tokens do not depend on the padding side. Outputs at padded
 * positions are finite but meaningless.
 *
 * <p>For incremental decoding, {@link #newKvCache()} creates a {@link KvCache} and
 * {@link #logits(NDArray, NDArray, KvCache)} runs only the new tokens of each step against the
 * cached keys and values of the earlier ones.
 */
public final class LlamaModel implements AutoCloseable {

    /** Name of the token-embedding matrix, shape [vocab, D]. */
    public static final String TOKEN_EMBEDDING = "token_embd.weight";
    /** Name of the final RMSNorm weight, shape [D]. */
    public static final String OUTPUT_NORM = "output_norm.weight";
    /** Name of the untied output classifier, shape [vocab, D]. */
    public static final String OUTPUT = "output.weight";

    private static final Logger logger = LoggerFactory.getLogger(LlamaModel.class);

    private final LlamaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final List<Block> blocks;
    private final NDArray tokenEmbedding;
    private final NDArray outputNorm;
    private final NDArray classifier;

    private LlamaModel(LlamaConfig config, NDManager manager, Map<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.blocks = new ArrayList<>();
        for (int i = 0; i < config.blockCount(); i++) {
            blocks.add(Block.of(parameters, "blk." + i + "."));
        }
        this.tokenEmbedding = parameters.get(TOKEN_EMBEDDING);
        this.outputNorm = parameters.get(OUTPUT_NORM);
        this.classifier = config.tiedEmbeddings() ? tokenEmbedding : parameters.get(OUTPUT);
    }

    /**
     * Loads a Llama GGUF file on the default device.
     *
     * @param gguf the model file
     * @return the model; the caller closes it
     * @throws IOException when the file cannot be read or is not a supported Llama model
     */
    public static LlamaModel fromGguf(Path gguf) throws IOException {
        return fromGguf(GgufFile.open(gguf), null);
    }

    /**
     * Loads a parsed Llama GGUF file onto a device.
     *
     * <p>When the file stores an {@code output.weight} equal to {@code token_embd.weight} (as the
     * llama2.c conversions do), the copy is dropped and the embeddings are tied, so training keeps
     * them shared as in the original model.
     *
     * @param gguf the parsed model file
     * @param device the device, or {@code null} for the engine's default
     * @return the model; the caller closes it
     * @throws IOException when tensor data cannot be read or has an unsupported type
     * @throws IllegalArgumentException when the metadata or a tensor shape does not describe a Llama model
     */
    public static LlamaModel fromGguf(GgufFile gguf, Device device) throws IOException {
        LlamaConfig config = LlamaConfig.fromGguf(gguf);
        NDManager manager = NDManager.newBaseManager(device);
        manager.setName("llama-model");
        try {
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> entry : config.parameterShapes().entrySet()) {
                NDArray tensor = gguf.loadTensorAsFloat32(manager, entry.getKey());
                requireShape(entry.getKey(), tensor.getShape(), entry.getValue());
                parameters.put(entry.getKey(), tensor);
            }
            if (!config.tiedEmbeddings() && parameters.get(OUTPUT).contentEquals(parameters.get(TOKEN_EMBEDDING))) {
                logger.debug("{} of {} equals {}; using tied embeddings", OUTPUT, gguf.path(), TOKEN_EMBEDDING);
                parameters.remove(OUTPUT).close();
                config = config.toBuilder().tiedEmbeddings(true).build();
            }
            logger.debug("Loaded Llama model {} with {} parameter arrays", gguf.path(), parameters.size());
            return new LlamaModel(config, manager, parameters);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Creates a model from existing parameters, which must match {@link LlamaConfig#parameterShapes()}
     * exactly in names and shapes and be float32. The model takes ownership of {@code manager} and
     * attaches every parameter to it.
     *
     * @param config the architecture
     * @param manager the manager that will own the parameters; closed by {@link #close()}
     * @param parameters the parameters by GGUF tensor name
     * @return the model
     * @throws IllegalArgumentException when a parameter is missing, unexpected, or has the wrong shape or type
     */
    public static LlamaModel of(LlamaConfig config, NDManager manager, Map<String, NDArray> parameters) {
        Map<String, Shape> expected = config.parameterShapes();
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(parameters.keySet());
        Set<String> unexpected = new TreeSet<>(parameters.keySet());
        unexpected.removeAll(expected.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("parameters do not match the configuration: missing " + missing
                    + ", unexpected " + unexpected);
        }
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : expected.entrySet()) {
            NDArray array = parameters.get(entry.getKey());
            requireShape(entry.getKey(), array.getShape(), entry.getValue());
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("parameter " + entry.getKey() + " has type " + array.getDataType()
                        + "; float32 is required");
            }
            array.attach(manager);
            array.setName(entry.getKey());
            ordered.put(entry.getKey(), array);
        }
        return new LlamaModel(config, manager, ordered);
    }

    private static void requireShape(String name, Shape actual, Shape expected) {
        if (!actual.equals(expected)) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + actual + " but the configuration"
                    + " needs " + expected);
        }
    }

    /** Returns the architecture. */
    public LlamaConfig config() {
        return config;
    }

    /** Returns the manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Returns the live parameters by GGUF tensor name, in the order of
     * {@link LlamaConfig#parameterShapes()}. With tied embeddings there is no {@code output.weight}.
     *
     * @return unmodifiable map of the parameters
     */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Turns gradient tracking on or off for every parameter.
     *
     * @param requiresGradient whether gradients are recorded
     */
    public void setRequiresGradient(boolean requiresGradient) {
        for (NDArray parameter : parameters.values()) {
            parameter.setRequiresGradient(requiresGradient);
        }
    }

    /**
     * Runs the decoder and returns the hidden states after the final RMSNorm.
     *
     * @param ids token ids, int32 or int64, shape [B, T]
     * @param mask 1 at real tokens and 0 at padding, shape [B, T]; {@code null} means no padding
     * @return float32 hidden states, shape [B, T, D], attached to the manager of {@code ids}
     * @throws IllegalArgumentException when the shapes or the ids are invalid
     */
    public NDArray hiddenStates(NDArray ids, NDArray mask) {
        checkInputs(ids, mask);
        NDManager scope = ids.getManager();
        NDArray attentionMask = mask == null ? scope.ones(ids.getShape(), DataType.INT64) : mask;
        AttentionContext context = AttentionContext.create(scope, attentionMask, config);
        NDArray x = Embedding.embedding(ids.toType(DataType.INT64, false), tokenEmbedding, SparseFormat.DENSE)
                .singletonOrThrow();
        for (Block block : blocks) {
            x = x.add(attention(rmsNorm(x, block.attentionNorm()), block, context, null, 0));
            x = x.add(feedForward(rmsNorm(x, block.feedForwardNorm()), block));
        }
        return rmsNorm(x, outputNorm);
    }

    /**
     * Runs the decoder and returns next-token logits at every position.
     *
     * @param ids token ids, int32 or int64, shape [B, T]
     * @param mask 1 at real tokens and 0 at padding, shape [B, T]; {@code null} means no padding
     * @return float32 logits, shape [B, T, vocab], attached to the manager of {@code ids}
     */
    public NDArray logits(NDArray ids, NDArray mask) {
        return linear(hiddenStates(ids, mask), classifier);
    }

    /**
     * Creates an empty KV cache for incremental decoding with this model. The cache's arrays live
     * in a child of this model's manager until the cache is closed.
     *
     * @return a new cache that the caller closes
     */
    public KvCache newKvCache() {
        return new KvCache(this);
    }

    /**
     * Runs the decoder over new tokens that continue the sequences in {@code cache}, appends their
     * keys, values and mask columns to the cache, and returns the hidden states of the new tokens.
     *
     * <p>The new tokens attend to every cached position and to the new positions up to their own,
     * with padded positions (mask 0, cached or new) hidden. RoPE positions count the real tokens
     * of the cached and new mask together, so the outputs equal those of
     * {@link #hiddenStates(NDArray, NDArray)} over the whole sequence at the same columns, up to
     * float rounding. With an empty cache this is a normal forward pass that also fills the cache.
     * The cache is meant for inference: its arrays are not kept in an autograd graph across calls.
     *
     * @param ids the new token ids, int32 or int64, shape [B, T]
     * @param mask 1 at real tokens and 0 at padding for the new tokens only, shape [B, T];
     *     {@code null} means no padding
     * @param cache the cache of this model for the same B sequences; {@code null} runs
     *     {@link #hiddenStates(NDArray, NDArray)}
     * @return float32 hidden states of the new tokens, shape [B, T, D], attached to the manager of
     *     {@code ids}
     * @throws IllegalArgumentException when the shapes or ids are invalid, or the cache belongs to
     *     another model or contains another number of sequences
     * @throws IllegalStateException when the cache is closed
     */
    public NDArray hiddenStates(NDArray ids, NDArray mask, KvCache cache) {
        if (cache == null) {
            return hiddenStates(ids, mask);
        }
        checkInputs(ids, mask);
        cache.checkUsable(this, ids.getShape().get(0));
        NDManager scope = ids.getManager();
        NDArray newMask = mask == null ? scope.ones(ids.getShape(), DataType.INT64) : mask;
        int pastLength = cache.length();
        NDArray fullMask = cache.extendedMask(newMask, scope);
        AttentionContext context = AttentionContext.create(scope, fullMask, pastLength, config);
        NDArray x = Embedding.embedding(ids.toType(DataType.INT64, false), tokenEmbedding, SparseFormat.DENSE)
                .singletonOrThrow();
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            x = x.add(attention(rmsNorm(x, block.attentionNorm()), block, context, cache, i));
            x = x.add(feedForward(rmsNorm(x, block.feedForwardNorm()), block));
        }
        cache.commitMask(fullMask);
        return rmsNorm(x, outputNorm);
    }

    /**
     * Runs the decoder over new tokens that continue the sequences in {@code cache} and returns
     * their next-token logits; see {@link #hiddenStates(NDArray, NDArray, KvCache)}.
     *
     * @param ids the new token ids, int32 or int64, shape [B, T]
     * @param mask 1 at real tokens and 0 at padding for the new tokens only, shape [B, T];
     *     {@code null} means no padding
     * @param cache the cache of this model, or {@code null} for an uncached forward pass
     * @return float32 logits of the new tokens, shape [B, T, vocab], attached to the manager of {@code ids}
     */
    public NDArray logits(NDArray ids, NDArray mask, KvCache cache) {
        return linear(hiddenStates(ids, mask, cache), classifier);
    }

    /**
     * Copies every parameter into a new model on a device, for example to keep a frozen reference
     * of a policy before training it. The copy's parameters do not require gradients, and later
     * changes to either model do not affect the other.
     *
     * @param device the device of the copy, or {@code null} for this model's device
     * @return the copy, with a base manager of its own; the caller closes it
     */
    public LlamaModel copy(Device device) {
        Device target = device == null ? manager.getDevice() : device;
        NDManager copyManager = NDManager.newBaseManager(target);
        copyManager.setName("llama-model");
        try {
            Map<String, NDArray> copies = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                NDArray detached = entry.getValue().stopGradient();
                // On the same device toDevice returns an alias of the storage, so duplicate() makes the copy.
                NDArray copied = target.equals(detached.getDevice()) ? detached.duplicate()
                        : detached.toDevice(target, true);
                copied.attach(copyManager);
                detached.close();
                copies.put(entry.getKey(), copied);
            }
            return of(config, copyManager, copies);
        } catch (RuntimeException e) {
            copyManager.close();
            throw e;
        }
    }

    private void checkInputs(NDArray ids, NDArray mask) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2 || shape.get(1) == 0) {
            throw new IllegalArgumentException("ids must have shape [batch, length] with length > 0 but have " + shape);
        }
        if (ids.getDataType() != DataType.INT32 && ids.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("ids must be int32 or int64 but are " + ids.getDataType());
        }
        if (mask != null && !mask.getShape().equals(shape)) {
            throw new IllegalArgumentException("mask shape " + mask.getShape() + " differs from ids shape " + shape);
        }
        if (!ids.getDevice().equals(manager.getDevice())) {
            throw new IllegalArgumentException("ids are on " + ids.getDevice() + " but the model is on "
                    + manager.getDevice());
        }
        // An id outside the vocabulary would fail inside the embedding lookup (on CUDA, with a device assert).
        long min = ids.min().toType(DataType.INT64, false).getLong();
        long max = ids.max().toType(DataType.INT64, false).getLong();
        if (min < 0 || max >= config.vocabSize()) {
            throw new IllegalArgumentException("ids range from " + min + " to " + max + " but the vocabulary has "
                    + config.vocabSize() + " tokens");
        }
    }

    /**
     * Runs grouped-query attention of one block. With a cache, the keys and values of the new
     * tokens are appended to the block's cached ones and the queries attend to all of them.
     */
    private NDArray attention(NDArray x, Block block, AttentionContext context, KvCache cache, int blockIndex) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        int headDim = config.headDim();
        int kvHeads = config.headCountKv();
        NDArray q = context.rotate(linear(x, block.query()).reshape(batch, length, config.headCount(), headDim));
        NDArray k = context.rotate(linear(x, block.key()).reshape(batch, length, kvHeads, headDim));
        NDArray v = linear(x, block.value()).reshape(batch, length, kvHeads, headDim);
        if (cache != null) {
            NDArray[] all = cache.append(blockIndex, k, v, x.getManager());
            k = all[0];
            v = all[1];
        }
        // Query head h = kv * groupSize + g uses key/value head kv: queries become [B, KV, G, Tq, hd] and
        // keys/values [B, KV, 1, Tk, hd], which matMul broadcasts over G.
        NDArray queries = q.reshape(batch, length, kvHeads, config.groupSize(), headDim).transpose(0, 2, 3, 1, 4);
        NDArray keys = k.transpose(0, 2, 3, 1).expandDims(2);
        NDArray values = v.transpose(0, 2, 1, 3).expandDims(2);
        // The scale is an array of the activations' manager, not mul(float): DJL's PyTorch engine backs a
        // number argument with a temporary tensor whose memory is freed at the next garbage collection,
        // while autograd keeps a reference to it for the backward pass.
        NDArray scale = x.getManager().create((float) (1.0 / Math.sqrt(headDim)));
        NDArray scores = queries.matMul(keys).mul(scale).add(context.bias());
        NDArray mixed = scores.softmax(-1).matMul(values);
        NDArray heads = mixed.transpose(0, 3, 1, 2, 4).reshape(batch, length, config.embeddingLength());
        return linear(heads, block.output());
    }

    private NDArray feedForward(NDArray x, Block block) {
        NDArray gate = linear(x, block.gate());
        NDArray up = linear(x, block.up());
        return linear(gate.mul(Activation.sigmoid(gate)).mul(up), block.down());
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.div(meanSquare.add((float) config.rmsEpsilon()).sqrt()).mul(weight);
    }

    /** Computes x W^T with the activation as the receiver, so the result joins the activation's manager. */
    private static NDArray linear(NDArray x, NDArray weight) {
        return Linear.linear(x, weight).singletonOrThrow();
    }

    /**
     * Generates tokens greedily, stopping at {@link LlamaConfig#eosTokenId()}.
     *
     * @param promptIds the prompt, BOS included if the model expects one
     * @param maxNewTokens the maximum number of tokens to generate
     * @return the generated ids, without the prompt; the last one is EOS when generation stopped there
     */
    public int[] generateGreedy(int[] promptIds, int maxNewTokens) {
        return generateGreedy(promptIds, maxNewTokens, config.eosTokenId());
    }

    /**
     * Generates tokens greedily (the argmax of the logits, the lowest id on a tie) without a KV
     * cache: each step runs the whole sequence. Generation also stops when the sequence reaches
     * the context length. Each step runs in a sub-manager that is closed before the next one.
     *
     * @param promptIds the prompt, BOS included if the model expects one
     * @param maxNewTokens the maximum number of tokens to generate
     * @param eosId the id that ends generation
     * @return the generated ids, without the prompt; the last one is {@code eosId} when generation stopped there
     * @throws IllegalArgumentException when the prompt is empty or contains an id outside the vocabulary
     */
    public int[] generateGreedy(int[] promptIds, int maxNewTokens, int eosId) {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt is empty; pass at least a BOS token");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must not be negative but is " + maxNewTokens);
        }
        long[] sequence = new long[promptIds.length + maxNewTokens];
        for (int i = 0; i < promptIds.length; i++) {
            if (promptIds[i] < 0 || promptIds[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("prompt id " + promptIds[i] + " at index " + i
                        + " is outside the vocabulary of " + config.vocabSize() + " tokens");
            }
            sequence[i] = promptIds[i];
        }
        int length = promptIds.length;
        while (length < sequence.length && length < config.contextLength()) {
            int next = nextGreedyToken(Arrays.copyOf(sequence, length));
            sequence[length++] = next;
            if (next == eosId) {
                break;
            }
        }
        int[] generated = new int[length - promptIds.length];
        for (int i = 0; i < generated.length; i++) {
            generated[i] = (int) sequence[promptIds.length + i];
        }
        return generated;
    }

    private int nextGreedyToken(long[] sequence) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray ids = scope.create(sequence, new Shape(1, sequence.length));
            NDArray last = logits(ids, null).get(0, sequence.length - 1);
            return (int) last.argMax().getLong();
        }
    }

    /**
     * Writes every parameter, by GGUF tensor name, to one safetensors file. The bytes go to a
     * temporary file in the same folder that is flushed to disk and then renamed over {@code file}.
     * The architecture is not stored: {@link #loadWeights(Path)} reads the file into a model built
     * from the same GGUF file.
     *
     * @param file the weights file to write
     * @throws IOException when writing fails; an existing {@code file} is then unchanged
     */
    public void saveWeights(Path file) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                NDList list = new NDList();
                for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                    NDArray array = entry.getValue().toDevice(Device.cpu(), true);
                    array.attach(scratch);
                    array.setName(entry.getKey());
                    list.add(array);
                }
                list.encode(out, NDList.Encoding.SAFETENSORS);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Overwrites every parameter with the values in a file written by {@link #saveWeights(Path)}.
     *
     * @param file the weights file
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the file's names or shapes differ from this model's
     *     parameters; the model is then unchanged
     */
    public void loadWeights(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> loaded = new LinkedHashMap<>();
            for (NDArray array : NDList.decode(scratch, bytes)) {
                loaded.put(array.getName(), array);
            }
            if (!loaded.keySet().equals(parameters.keySet())) {
                throw new IllegalArgumentException("the weights in " + file + " have the arrays " + new TreeSet<>(
                        loaded.keySet()) + " but the model has " + new TreeSet<>(parameters.keySet()));
            }
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                requireShape(entry.getKey(), loaded.get(entry.getKey()).getShape(), entry.getValue().getShape());
            }
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                NDArray values = loaded.get(entry.getKey()).toType(DataType.FLOAT32, false);
                entry.getValue().set(values.toByteBuffer());
            }
        }
    }

    /** Closes the model's manager and with it every parameter. */
    @Override
    public void close() {
        manager.close();
    }

    /** The parameters of one transformer block. */
    private record Block(NDArray attentionNorm, NDArray query, NDArray key, NDArray value, NDArray output,
            NDArray feedForwardNorm, NDArray gate, NDArray up, NDArray down) {

        static Block of(Map<String, NDArray> parameters, String prefix) {
            return new Block(parameters.get(prefix + "attn_norm.weight"), parameters.get(prefix + "attn_q.weight"),
                    parameters.get(prefix + "attn_k.weight"), parameters.get(prefix + "attn_v.weight"),
                    parameters.get(prefix + "attn_output.weight"), parameters.get(prefix + "ffn_norm.weight"),
                    parameters.get(prefix + "ffn_gate.weight"), parameters.get(prefix + "ffn_up.weight"),
                    parameters.get(prefix + "ffn_down.weight"));
        }
    }
}
