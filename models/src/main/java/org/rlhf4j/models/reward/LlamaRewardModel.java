package org.rlhf4j.models.reward;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.io.DurableFiles;
import org.rlhf4j.models.llama.LlamaConfig;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reward model made of the {@link LlamaModel} decoder and a linear head (weight
 * [outputs, D], bias [outputs]) applied to the hidden state of the last real token.
 *
 * <p>A saved model is a directory with {@code model.json} (format version, decoder
 * configuration, head, tokenizer source and the SHA-256 of the weights), {@code tokenizer.json}
 * (the full vocabulary, so no GGUF file is needed to load it) and {@code weights.safetensors}.
 *
 * <pre>{@code
 * try (LlamaRewardModel model = LlamaRewardModel.fromGguf(gguf, RewardHeadSpec.scalar(), 42);
 *      NDManager step = model.manager().newSubManager()) {
 *     NDArray rewards = model.reward(ids, mask); // ids and mask created in step
 * }
 * }</pre>
 */
public final class LlamaRewardModel implements RewardModel {

    /** Name of the head weight, shape [outputs, D]. */
    public static final String HEAD_WEIGHT = "reward_head.weight";
    /** Name of the head bias, shape [outputs]. */
    public static final String HEAD_BIAS = "reward_head.bias";

    private static final Logger logger = LoggerFactory.getLogger(LlamaRewardModel.class);

    private final LlamaModel decoder;
    private final SentencePieceTokenizer tokenizer;
    private final RewardHeadSpec head;
    private final TokenizerSource tokenizerSource;
    private final NDArray headWeight;
    private final NDArray headBias;
    private final Map<String, NDArray> parameters;

    private LlamaRewardModel(LlamaModel decoder, SentencePieceTokenizer tokenizer, RewardHeadSpec head,
            TokenizerSource tokenizerSource, NDArray headWeight, NDArray headBias) {
        if (tokenizer.vocabSize() > decoder.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the decoder"
                    + " embeds only " + decoder.config().vocabSize());
        }
        requireShape(HEAD_WEIGHT, headWeight, new Shape(head.outputs(), decoder.config().embeddingLength()));
        requireShape(HEAD_BIAS, headBias, new Shape(head.outputs()));
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.head = head;
        this.tokenizerSource = tokenizerSource;
        this.headWeight = headWeight;
        this.headBias = headBias;
        headWeight.setName(HEAD_WEIGHT);
        headBias.setName(HEAD_BIAS);
        Map<String, NDArray> all = new LinkedHashMap<>(decoder.parameters());
        all.put(HEAD_WEIGHT, headWeight);
        all.put(HEAD_BIAS, headBias);
        this.parameters = Collections.unmodifiableMap(all);
    }

    private static void requireShape(String name, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(name + " has shape " + array.getShape() + " but " + expected
                    + " is needed");
        }
    }

    /**
     * Builds a reward model from a Llama GGUF file on the default device, with a new head.
     *
     * @param gguf the model file; its vocabulary becomes the tokenizer
     * @param head the head to create
     * @param seed seed of the head initialisation: weight ~ N(0, 1/D) from {@link Random}, bias 0
     * @return the model; the caller closes it
     * @throws IOException when the file cannot be read or is not a supported Llama model
     */
    public static LlamaRewardModel fromGguf(Path gguf, RewardHeadSpec head, long seed) throws IOException {
        return fromGguf(gguf, head, seed, null);
    }

    /**
     * Builds a reward model from a Llama GGUF file on a device, with a new head.
     *
     * @param gguf the model file; its vocabulary becomes the tokenizer
     * @param head the head to create
     * @param seed seed of the head initialisation: weight ~ N(0, 1/D) from {@link Random}, bias 0
     * @param device the device, or {@code null} for the engine's default
     * @return the model; the caller closes it
     * @throws IOException when the file cannot be read or is not a supported Llama model
     */
    public static LlamaRewardModel fromGguf(Path gguf, RewardHeadSpec head, long seed, Device device)
            throws IOException {
        Objects.requireNonNull(head, "head");
        GgufFile file = GgufFile.open(gguf);
        SentencePieceTokenizer tokenizer = SentencePieceTokenizer.fromGguf(file);
        TokenizerSource source = new TokenizerSource(gguf.getFileName().toString(), DurableFiles.sha256(gguf));
        LlamaModel decoder = LlamaModel.fromGguf(file, device);
        try {
            NDManager manager = decoder.manager();
            int width = decoder.config().embeddingLength();
            NDArray weight = manager.create(gaussian(seed, head.outputs() * width, 1.0 / Math.sqrt(width)),
                    new Shape(head.outputs(), width));
            NDArray bias = manager.zeros(new Shape(head.outputs()), DataType.FLOAT32);
            return new LlamaRewardModel(decoder, tokenizer, head, source, weight, bias);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    private static float[] gaussian(long seed, int count, double std) {
        Random random = new Random(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return values;
    }

    /**
     * Loads a model saved by {@link #save(Path)} onto the default device.
     *
     * @param directory the checkpoint directory
     * @param expectedHead the head the caller needs, or {@code null} to accept any
     * @return the model; the caller closes it
     * @throws IOException when a file is missing or malformed, or the weights fail their SHA-256 check
     * @throws IllegalArgumentException when the stored head differs from {@code expectedHead}, with
     *     both head descriptions in the message
     */
    public static LlamaRewardModel load(Path directory, RewardHeadSpec expectedHead) throws IOException {
        return load(directory, expectedHead, null);
    }

    /**
     * Loads a model saved by {@link #save(Path)} onto a device.
     *
     * @param directory the checkpoint directory
     * @param expectedHead the head the caller needs, or {@code null} to accept any
     * @param device the device, or {@code null} for the engine's default
     * @return the model; the caller closes it
     * @throws IOException when a file is missing or malformed, or the weights fail their SHA-256 check
     * @throws IllegalArgumentException when the stored head differs from {@code expectedHead}
     */
    public static LlamaRewardModel load(Path directory, RewardHeadSpec expectedHead, Device device)
            throws IOException {
        RewardCheckpoint checkpoint = RewardCheckpoint.read(directory);
        if (expectedHead != null && !expectedHead.equals(checkpoint.head())) {
            throw new IllegalArgumentException("the model in " + directory + " has reward " + checkpoint.head()
                    + " but " + expectedHead + " was expected");
        }
        byte[] weights = readVerifiedWeights(directory.resolve(RewardCheckpoint.WEIGHTS_FILE), checkpoint);
        SentencePieceTokenizer tokenizer =
                SentencePieceTokenizer.readJson(directory.resolve(RewardCheckpoint.TOKENIZER_FILE));
        NDManager manager = NDManager.newBaseManager(device);
        manager.setName("llama-reward-model");
        try {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (NDArray array : NDList.decode(manager, weights)) {
                arrays.put(array.getName(), array);
            }
            NDArray weight = requireArray(arrays, HEAD_WEIGHT, directory);
            NDArray bias = requireArray(arrays, HEAD_BIAS, directory);
            LlamaModel decoder = LlamaModel.of(checkpoint.config(), manager, arrays);
            logger.debug("Loaded reward model from {} ({})", directory, checkpoint.head());
            return new LlamaRewardModel(decoder, tokenizer, checkpoint.head(), checkpoint.tokenizerSource(), weight,
                    bias);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static byte[] readVerifiedWeights(Path file, RewardCheckpoint checkpoint) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("weights file " + file + " is missing");
        }
        byte[] bytes = Files.readAllBytes(file);
        String actual = DurableFiles.sha256(bytes);
        if (bytes.length != checkpoint.weightsBytes() || !actual.equals(checkpoint.weightsSha256())) {
            throw new IOException("weights file " + file + " is corrupt or truncated: it has " + bytes.length
                    + " bytes with SHA-256 " + actual + " but " + RewardCheckpoint.MODEL_FILE + " records "
                    + checkpoint.weightsBytes() + " bytes with SHA-256 " + checkpoint.weightsSha256());
        }
        return bytes;
    }

    private static NDArray requireArray(Map<String, NDArray> arrays, String name, Path directory) {
        NDArray array = arrays.remove(name);
        if (array == null) {
            throw new IllegalArgumentException("the weights in " + directory + " have no array " + name);
        }
        return array;
    }

    /**
     * Writes the model to a directory. The files are first written and flushed to disk in a
     * temporary directory next to the target, which then replaces the target. An existing target is
     * removed only after the new directory is in place.
     *
     * @param directory the checkpoint directory
     * @throws IOException when writing fails; the target is then unchanged
     */
    @Override
    public void save(Path directory) throws IOException {
        Path target = directory.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            Path weightsFile = temp.resolve(RewardCheckpoint.WEIGHTS_FILE);
            String weightsSha256 = writeWeights(weightsFile);
            Path tokenizerFile = temp.resolve(RewardCheckpoint.TOKENIZER_FILE);
            tokenizer.writeJson(tokenizerFile);
            DurableFiles.fsync(tokenizerFile);
            new RewardCheckpoint(decoder.config(), head, tokenizerSource, weightsSha256, Files.size(weightsFile))
                    .write(temp);
            DurableFiles.fsync(temp);
            DurableFiles.replaceDirectory(temp, target);
            logger.debug("Saved reward model to {}", target);
        } catch (IOException | RuntimeException e) {
            DurableFiles.deleteRecursively(temp);
            throw e;
        }
    }

    private String writeWeights(Path file) throws IOException {
        MessageDigest digest = DurableFiles.newSha256();
        try (NDManager scratch = NDManager.newBaseManager(Device.cpu());
                OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file)),
                        digest)) {
            NDList list = new NDList();
            for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
                list.add(onCpu(entry.getKey(), entry.getValue(), scratch));
            }
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        DurableFiles.fsync(file);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Returns the parameter itself when on CPU, or else a CPU copy owned by {@code scratch}, not by the model. */
    private static NDArray onCpu(String name, NDArray parameter, NDManager scratch) {
        NDArray array = parameter;
        if (!parameter.getDevice().equals(Device.cpu())) {
            array = parameter.toDevice(Device.cpu(), true);
            array.attach(scratch);
        }
        array.setName(name);
        return array;
    }

    /**
     * Copies the decoder, the head and the tokenizer onto a device. The copy's parameters do not
     * require gradients, and later changes to either model do not affect the other.
     *
     * @param device the device of the copy, or {@code null} for this model's device
     * @return the copy, with a base manager of its own; the caller closes it
     */
    @Override
    public LlamaRewardModel copy(Device device) {
        LlamaModel decoderCopy = decoder.copy(device);
        try {
            NDManager target = decoderCopy.manager();
            NDArray weight = copyOnto(headWeight, target);
            NDArray bias = copyOnto(headBias, target);
            return new LlamaRewardModel(decoderCopy, tokenizer, head, tokenizerSource, weight, bias);
        } catch (RuntimeException e) {
            decoderCopy.close();
            throw e;
        }
    }

    /** Returns a copy of {@code array} owned by {@code target}, on its device, without gradient tracking. */
    private static NDArray copyOnto(NDArray array, NDManager target) {
        NDArray detached = array.stopGradient();
        // On the same device toDevice returns an alias of the storage, so duplicate() makes the copy.
        NDArray copied = target.getDevice().equals(detached.getDevice()) ? detached.duplicate()
                : detached.toDevice(target.getDevice(), true);
        copied.attach(target);
        detached.close();
        return copied;
    }

    @Override
    public RewardHeadSpec head() {
        return head;
    }

    @Override
    public NDManager manager() {
        return decoder.manager();
    }

    /** Returns the decoder under the head. */
    public LlamaModel decoder() {
        return decoder;
    }

    /** Returns the tokenizer whose ids the model reads. */
    public SentencePieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** Returns where the tokenizer vocabulary came from. */
    public TokenizerSource tokenizerSource() {
        return tokenizerSource;
    }

    /**
     * Returns the live parameters: the decoder's (GGUF tensor names) followed by
     * {@link #HEAD_WEIGHT} and {@link #HEAD_BIAS}.
     */
    @Override
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Turns gradient tracking on or off for every parameter, head included.
     *
     * @param requiresGradient whether gradients are recorded
     */
    public void setRequiresGradient(boolean requiresGradient) {
        for (NDArray parameter : parameters.values()) {
            parameter.setRequiresGradient(requiresGradient);
        }
    }

    /**
     * Scores a batch: the head applied to the decoder's hidden state at the last position whose
     * mask is 1, so left and right padding give the same scores.
     *
     * @param ids token ids, int32 or int64, shape [B, T]
     * @param mask 1 at real tokens and 0 at padding, shape [B, T]; each row needs a real token
     * @return float32 head outputs, shape [B, outputs], attached to the manager of {@code ids}
     */
    @Override
    public NDArray forward(NDArray ids, NDArray mask) {
        Objects.requireNonNull(mask, "mask");
        NDArray hidden = decoder.hiddenStates(ids, mask);
        NDArray last = lastTokenValues(hidden, mask);
        return Linear.linear(last, headWeight, headBias).singletonOrThrow();
    }

    /**
     * Picks, for each row, the values at the last position whose mask is 1. Padding may be on
     * either side, and holes in the mask are allowed.
     *
     * @param perToken values per position, shape [B, T, K]
     * @param mask 1 at real tokens and 0 at padding, shape [B, T], any numeric or boolean type
     * @return the values at the last real position, shape [B, K], attached to the manager of {@code perToken}
     * @throws IllegalArgumentException when the shapes disagree or a row has no real token
     */
    public static NDArray lastTokenValues(NDArray perToken, NDArray mask) {
        Shape shape = perToken.getShape();
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException("perToken must have shape [batch, length, width] but has " + shape);
        }
        long batch = shape.get(0);
        long length = shape.get(1);
        if (!mask.getShape().equals(new Shape(batch, length))) {
            throw new IllegalArgumentException("mask shape " + mask.getShape() + " does not match perToken shape "
                    + shape);
        }
        NDManager scope = perToken.getManager();
        NDArray keep = mask.toType(DataType.INT64, true);
        keep.attach(scope);
        // Position t counts as t + 1 where the mask is set and 0 elsewhere; the row maximum is last + 1.
        NDArray ordinals = scope.arange(1f, length + 1f, 1f, DataType.INT64);
        NDArray lastPlusOne = keep.gt(0).toType(DataType.INT64, false).mul(ordinals).max(new int[] {1});
        long[] checked = lastPlusOne.toLongArray();
        for (int row = 0; row < checked.length; row++) {
            if (checked[row] == 0) {
                throw new IllegalArgumentException("row " + row + " of the mask has no real token");
            }
        }
        NDArray index = lastPlusOne.sub(1).reshape(batch, 1, 1).broadcast(batch, 1, shape.get(2));
        return perToken.gather(index, 1).reshape(batch, shape.get(2));
    }

    /** Closes the model's manager and with it every parameter. */
    @Override
    public void close() {
        decoder.close();
    }
}
