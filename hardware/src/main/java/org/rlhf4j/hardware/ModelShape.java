package org.rlhf4j.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Dimensions of a Llama-style decoder: grouped-query attention without biases, a gated (SwiGLU)
 * feed-forward block and RMS norms with a weight vector only.
 *
 * @param name a lowercase identifier such as {@code "llama-3.1-8b"}
 * @param layers number of decoder layers
 * @param hidden hidden size
 * @param heads attention heads
 * @param kvHeads key and value heads (grouped-query attention), a divisor of {@code heads}
 * @param intermediate feed-forward inner size
 * @param vocab vocabulary size
 * @param tiedEmbeddings whether the output projection shares the embedding matrix
 */
public record ModelShape(
        String name, int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab,
        boolean tiedEmbeddings) {

    /** Llama 3.1 8B, from its published config.json; embeddings are not tied. */
    public static final ModelShape LLAMA_3_1_8B =
            new ModelShape("llama-3.1-8b", 32, 4096, 32, 8, 14336, 128256, false);

    /** Llama 3.1 70B, from its published config.json; embeddings are not tied. */
    public static final ModelShape LLAMA_3_1_70B =
            new ModelShape("llama-3.1-70b", 80, 8192, 64, 8, 28672, 128256, false);

    /** Llama 3.1 405B, from its published config.json; embeddings are not tied. */
    public static final ModelShape LLAMA_3_1_405B =
            new ModelShape("llama-3.1-405b", 126, 16384, 128, 8, 53248, 128256, false);

    private static final List<ModelShape> PRESETS = List.of(LLAMA_3_1_8B, LLAMA_3_1_70B, LLAMA_3_1_405B);

    private static final Map<String, ModelShape> PRESETS_BY_NAME =
            PRESETS.stream().collect(Collectors.toUnmodifiableMap(ModelShape::name, Function.identity()));

    public ModelShape {
        Objects.requireNonNull(name, "name");
        requirePositive("layers", layers);
        requirePositive("hidden", hidden);
        requirePositive("heads", heads);
        requirePositive("kvHeads", kvHeads);
        requirePositive("intermediate", intermediate);
        requirePositive("vocab", vocab);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException(
                    "hidden " + hidden + " must be a multiple of heads " + heads);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "heads " + heads + " must be a multiple of kvHeads " + kvHeads);
        }
    }

    /** Returns the preset shapes, smallest first. */
    public static List<ModelShape> presets() {
        return PRESETS;
    }

    /**
     * Looks up a preset by name, ignoring case.
     *
     * @param name a preset name such as {@code "llama-3.1-70b"}
     * @return the preset
     * @throws IllegalArgumentException when no preset has that name. The message lists the presets.
     */
    public static ModelShape preset(String name) {
        ModelShape shape = name == null ? null : PRESETS_BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (shape == null) {
            List<String> known = PRESETS.stream().map(ModelShape::name).toList();
            throw new IllegalArgumentException(
                    "Unknown model shape '" + name + "'. Known shapes: " + String.join(", ", known));
        }
        return shape;
    }

    /**
     * Reads a shape from a Hugging Face {@code config.json}: {@code hidden_size},
     * {@code num_hidden_layers}, {@code num_attention_heads}, {@code intermediate_size},
     * {@code vocab_size}, and optionally {@code num_key_value_heads} (default: the number of
     * attention heads) and {@code tie_word_embeddings} (default: false). The shape is named after
     * the last segment of {@code _name_or_path}, else after the folder holding the file.
     *
     * @param file the config file
     * @return the shape
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the file is not a JSON object, or a key is missing or
     *     invalid. The message names the file and the key.
     */
    public static ModelShape fromConfigJson(Path file) throws IOException {
        return ConfigJson.read(file);
    }

    /**
     * Resolves a model given on the command line: a preset name, a {@code config.json} file, or a
     * folder that contains one.
     *
     * @param presetOrPath a preset name such as {@code "llama-3.1-70b"}, or a path
     * @return the shape
     * @throws IOException when the config file cannot be read
     * @throws IllegalArgumentException when the value is neither a preset nor an existing file or
     *     folder with a config.json, or when the config is invalid
     */
    public static ModelShape resolve(String presetOrPath) throws IOException {
        Objects.requireNonNull(presetOrPath, "presetOrPath");
        ModelShape preset = PRESETS_BY_NAME.get(presetOrPath.trim().toLowerCase(Locale.ROOT));
        if (preset != null) {
            return preset;
        }
        Path path = Path.of(presetOrPath);
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        if (!Files.isRegularFile(file)) {
            List<String> known = PRESETS.stream().map(ModelShape::name).toList();
            throw new IllegalArgumentException("Unknown model '" + presetOrPath + "': it is not a preset ("
                    + String.join(", ", known) + ") and no config file " + file + " exists");
        }
        return fromConfigJson(file);
    }

    /** Returns the size of one attention head, {@code hidden / heads}. */
    public int headDim() {
        return hidden / heads;
    }

    /**
     * Counts the parameters of one decoder layer: the q, k, v and o projections, the gate, up and
     * down projections, and the two RMS norm weight vectors.
     */
    public long layerParameterCount() {
        long h = hidden;
        long kvWidth = (long) kvHeads * headDim();
        long attention = h * h + 2 * h * kvWidth + h * h;
        long feedForward = 3 * h * intermediate;
        long norms = 2 * h;
        return attention + feedForward + norms;
    }

    /** Counts the parameters of the input embedding matrix. */
    public long embeddingParameterCount() {
        return (long) vocab * hidden;
    }

    /**
     * Counts the parameters of the language model: embeddings, the decoder layers, the final norm
     * and the output projection (counted separately unless the embeddings are tied).
     *
     * @return the parameter count, 8,030,261,248 for Llama 3.1 8B
     */
    public long parameterCount() {
        long outputProjection = tiedEmbeddings ? 0 : embeddingParameterCount();
        return backboneParameterCount() + outputProjection;
    }

    /**
     * Counts the parameters of the model with its output projection replaced by a linear head of
     * {@code outputs} values with a bias, as in a reward model or a critic.
     *
     * @param outputs number of head outputs, 1 for a scalar reward
     * @return the parameter count
     * @throws IllegalArgumentException when {@code outputs} is not positive
     */
    public long parameterCountWithHead(int outputs) {
        requirePositive("outputs", outputs);
        return backboneParameterCount() + (long) outputs * hidden + outputs;
    }

    private long backboneParameterCount() {
        long finalNorm = hidden;
        return embeddingParameterCount() + layers * layerParameterCount() + finalNorm;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
