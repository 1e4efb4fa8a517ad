package org.rlhf4j.hardware;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads the decoder dimensions from a Hugging Face {@code config.json} of a Llama-style model.
 *
 * <p>Required keys: {@code hidden_size}, {@code num_hidden_layers}, {@code num_attention_heads},
 * {@code intermediate_size} and {@code vocab_size}. Optional: {@code num_key_value_heads}, which
 * defaults to {@code num_attention_heads}, and {@code tie_word_embeddings}, which defaults to
 * false; both defaults are those of the transformers library's {@code LlamaConfig}. A
 * {@code head_dim} key, when present, must equal {@code hidden_size / num_attention_heads}.
 */
final class ConfigJson {

    private ConfigJson() {}

    static ModelShape read(Path file) throws IOException {
        JsonObject root = parse(file);
        String name = modelName(root, file);
        int layers = positiveInt(root, file, "num_hidden_layers");
        int hidden = positiveInt(root, file, "hidden_size");
        int heads = positiveInt(root, file, "num_attention_heads");
        int kvHeads = root.has("num_key_value_heads") && !root.get("num_key_value_heads").isJsonNull()
                ? positiveInt(root, file, "num_key_value_heads")
                : heads;
        int intermediate = positiveInt(root, file, "intermediate_size");
        int vocab = positiveInt(root, file, "vocab_size");
        boolean tied = optionalBoolean(root, file, "tie_word_embeddings");
        if (root.has("head_dim") && !root.get("head_dim").isJsonNull()
                && positiveInt(root, file, "head_dim") * (long) heads != hidden) {
            throw new IllegalArgumentException("Invalid model config " + file + ": key 'head_dim' is "
                    + root.get("head_dim") + " but hidden_size / num_attention_heads is " + hidden / heads
                    + "; only models whose head size is hidden_size / num_attention_heads are supported");
        }
        try {
            return new ModelShape(name, layers, hidden, heads, kvHeads, intermediate, vocab, tied);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid model config " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject parse(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException("Invalid model config " + file + ": expected a JSON object, got "
                        + kindOf(element));
            }
            return element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Invalid model config " + file + ": not valid JSON ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Names the shape after the last segment of {@code _name_or_path}, else after the folder that
     * contains the file, else after the file, in lowercase.
     */
    private static String modelName(JsonObject root, Path file) {
        JsonElement declared = root.get("_name_or_path");
        if (declared != null && declared.isJsonPrimitive() && !declared.getAsString().isBlank()) {
            String path = declared.getAsString().replace('\\', '/');
            return path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        }
        Path absolute = file.toAbsolutePath();
        Path folder = absolute.getParent() == null ? null : absolute.getParent().getFileName();
        String base = folder != null ? folder.toString() : String.valueOf(absolute.getFileName());
        return base.toLowerCase(Locale.ROOT);
    }

    private static int positiveInt(JsonObject root, Path file, String key) {
        JsonElement value = root.get(key);
        if (value == null || value.isJsonNull()) {
            throw new IllegalArgumentException("Invalid model config " + file + ": key '" + key + "' is missing");
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            double number = value.getAsDouble();
            if (number >= 1 && number <= Integer.MAX_VALUE && number == Math.rint(number)) {
                return (int) number;
            }
        }
        throw new IllegalArgumentException("Invalid model config " + file + ": key '" + key
                + "' must be a positive integer, got " + value);
    }

    private static boolean optionalBoolean(JsonObject root, Path file, String key) {
        JsonElement value = root.get(key);
        if (value == null || value.isJsonNull()) {
            return false;
        }
        if (value.isJsonPrimitive() && ((JsonPrimitive) value).isBoolean()) {
            return value.getAsBoolean();
        }
        throw new IllegalArgumentException("Invalid model config " + file + ": key '" + key
                + "' must be true or false, got " + value);
    }

    private static String kindOf(JsonElement element) {
        if (element.isJsonArray()) {
            return "an array";
        }
        if (element.isJsonNull()) {
            return "an empty file or null";
        }
        return "a single value";
    }
}
