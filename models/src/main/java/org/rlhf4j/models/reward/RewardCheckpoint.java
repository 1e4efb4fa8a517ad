package org.rlhf4j.models.reward;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.rlhf4j.models.io.DurableFiles;
import org.rlhf4j.models.llama.LlamaConfig;

/**
 * The {@code model.json} of a saved reward model, and the file operations that save it safely.
 *
 * @param config the decoder architecture
 * @param head the reward head
 * @param tokenizerSource where the tokenizer vocabulary came from
 * @param weightsSha256 lowercase hex SHA-256 of {@code weights.safetensors}
 * @param weightsBytes size of {@code weights.safetensors} in bytes
 */
record RewardCheckpoint(LlamaConfig config, RewardHeadSpec head, TokenizerSource tokenizerSource, String weightsSha256,
        long weightsBytes) {

    static final String FORMAT = "rlhf4j-llama-reward-model";
    static final int FORMAT_VERSION = 1;
    static final String MODEL_FILE = "model.json";
    static final String WEIGHTS_FILE = "weights.safetensors";
    static final String TOKENIZER_FILE = "tokenizer.json";

    /** Writes this description as {@code model.json} in a directory. */
    void write(Path directory) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("format_version", FORMAT_VERSION);
        root.add("config", configToJson(config));
        JsonObject headJson = new JsonObject();
        JsonArray attributes = new JsonArray();
        head.attributes().forEach(attributes::add);
        headJson.add("attributes", attributes);
        headJson.addProperty("reward_index", head.rewardIndex());
        root.add("head", headJson);
        JsonObject tokenizer = new JsonObject();
        tokenizer.addProperty("file", TOKENIZER_FILE);
        tokenizer.addProperty("source_file", tokenizerSource.fileName());
        tokenizer.addProperty("source_sha256", tokenizerSource.sha256());
        root.add("tokenizer", tokenizer);
        JsonObject weights = new JsonObject();
        weights.addProperty("file", WEIGHTS_FILE);
        weights.addProperty("sha256", weightsSha256);
        weights.addProperty("bytes", weightsBytes);
        weights.addProperty("dtype", "float32");
        root.add("weights", weights);
        Path file = directory.resolve(MODEL_FILE);
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n",
                StandardCharsets.UTF_8);
        DurableFiles.fsync(file);
    }

    /**
     * Reads {@code model.json} from a checkpoint directory.
     *
     * @throws IOException when the file is missing, is not JSON, or lacks a field
     */
    static RewardCheckpoint read(Path directory) throws IOException {
        Path file = directory.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + MODEL_FILE + " in " + directory + "; is it a saved reward model?");
        }
        JsonObject root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(in).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonFields fields = new JsonFields(file);
        String format = fields.string(root, "format");
        int version = fields.integer(root, "format_version");
        if (!FORMAT.equals(format) || version != FORMAT_VERSION) {
            throw new IOException(file + " has format " + format + " version " + version + "; this reader supports "
                    + FORMAT + " version " + FORMAT_VERSION);
        }
        try {
            JsonObject tokenizer = fields.object(root, "tokenizer");
            JsonObject weights = fields.object(root, "weights");
            return new RewardCheckpoint(configFromJson(fields, fields.object(root, "config")),
                    headFromJson(fields, fields.object(root, "head")),
                    new TokenizerSource(fields.string(tokenizer, "source_file"),
                            fields.string(tokenizer, "source_sha256")),
                    fields.string(weights, "sha256"), fields.number(weights, "bytes").longValue());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " has an invalid value: " + e.getMessage(), e);
        }
    }

    private static JsonObject configToJson(LlamaConfig config) {
        JsonObject json = new JsonObject();
        json.addProperty("vocab_size", config.vocabSize());
        json.addProperty("embedding_length", config.embeddingLength());
        json.addProperty("feed_forward_length", config.feedForwardLength());
        json.addProperty("block_count", config.blockCount());
        json.addProperty("head_count", config.headCount());
        json.addProperty("head_count_kv", config.headCountKv());
        json.addProperty("rope_dimension_count", config.ropeDimensionCount());
        json.addProperty("rope_freq_base", config.ropeFreqBase());
        json.addProperty("rms_epsilon", config.rmsEpsilon());
        json.addProperty("context_length", config.contextLength());
        json.addProperty("tied_embeddings", config.tiedEmbeddings());
        json.addProperty("eos_token_id", config.eosTokenId());
        return json;
    }

    private static LlamaConfig configFromJson(JsonFields fields, JsonObject json) throws IOException {
        return LlamaConfig.builder()
                .vocabSize(fields.integer(json, "vocab_size"))
                .embeddingLength(fields.integer(json, "embedding_length"))
                .feedForwardLength(fields.integer(json, "feed_forward_length"))
                .blockCount(fields.integer(json, "block_count"))
                .headCount(fields.integer(json, "head_count"))
                .headCountKv(fields.integer(json, "head_count_kv"))
                .ropeDimensionCount(fields.integer(json, "rope_dimension_count"))
                .ropeFreqBase(fields.number(json, "rope_freq_base").doubleValue())
                .rmsEpsilon(fields.number(json, "rms_epsilon").doubleValue())
                .contextLength(fields.integer(json, "context_length"))
                .tiedEmbeddings(fields.bool(json, "tied_embeddings"))
                .eosTokenId(fields.integer(json, "eos_token_id"))
                .build();
    }

    private static RewardHeadSpec headFromJson(JsonFields fields, JsonObject json) throws IOException {
        List<String> attributes = new ArrayList<>();
        for (JsonElement attribute : fields.array(json, "attributes")) {
            attributes.add(attribute.getAsString());
        }
        return new RewardHeadSpec(attributes, fields.integer(json, "reward_index"));
    }

    /** Typed access to required JSON fields, failing with the file name and the field. */
    private record JsonFields(Path file) {

        private JsonElement required(JsonObject json, String name) throws IOException {
            JsonElement element = json.get(name);
            if (element == null || element.isJsonNull()) {
                throw new IOException(file + " is missing the field '" + name + "'");
            }
            return element;
        }

        JsonObject object(JsonObject json, String name) throws IOException {
            JsonElement element = required(json, name);
            if (!element.isJsonObject()) {
                throw new IOException(file + ": field '" + name + "' must be an object");
            }
            return element.getAsJsonObject();
        }

        JsonArray array(JsonObject json, String name) throws IOException {
            JsonElement element = required(json, name);
            if (!element.isJsonArray()) {
                throw new IOException(file + ": field '" + name + "' must be an array");
            }
            return element.getAsJsonArray();
        }

        String string(JsonObject json, String name) throws IOException {
            JsonElement element = required(json, name);
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw new IOException(file + ": field '" + name + "' must be a string");
            }
            return element.getAsString();
        }

        Number number(JsonObject json, String name) throws IOException {
            JsonElement element = required(json, name);
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
                throw new IOException(file + ": field '" + name + "' must be a number");
            }
            return element.getAsNumber();
        }

        int integer(JsonObject json, String name) throws IOException {
            try {
                return element(json, name).getAsJsonPrimitive().getAsBigDecimal().intValueExact();
            } catch (ArithmeticException e) {
                throw new IOException(file + ": field '" + name + "' must be an integer", e);
            }
        }

        private JsonElement element(JsonObject json, String name) throws IOException {
            number(json, name);
            return json.get(name);
        }

        boolean bool(JsonObject json, String name) throws IOException {
            JsonElement element = required(json, name);
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isBoolean()) {
                throw new IOException(file + ": field '" + name + "' must be true or false");
            }
            return element.getAsBoolean();
        }
    }
}
