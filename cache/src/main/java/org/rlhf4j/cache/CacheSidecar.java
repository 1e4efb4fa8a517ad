package org.rlhf4j.cache;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.algorithms.reward.EncodeResult;

/**
 * The JSON file next to each Arrow cache file: the key in readable form, the Arrow file's size and
 * SHA-256, and the counts of the encode result.
 *
 * <p>Layout: {@code {"keySha256", "key": {...CacheKey.canonicalJson() fields...}, "arrowFile",
 * "arrowBytes", "arrowSha256", "pairs", "seen", "dropped": {reason: count}, "createdAt"}}.
 *
 * @param keySha256 {@link CacheKey#sha256()} of the entry
 * @param key the key's components, as in {@link CacheKey#canonicalJson()}
 * @param arrowFile file name of the Arrow file, without directories
 * @param arrowBytes size of the Arrow file in bytes
 * @param arrowSha256 lowercase hex SHA-256 of the Arrow file
 * @param pairs number of encoded pairs
 * @param seen number of input pairs
 * @param dropped number of dropped pairs per reason
 * @param createdAt when the entry was written, ISO-8601 UTC
 */
record CacheSidecar(String keySha256, JsonObject key, String arrowFile, long arrowBytes, String arrowSha256,
        long pairs, long seen, Map<String, Long> dropped, String createdAt) {

    static CacheSidecar of(CacheKey key, Path arrowFile, DigestingChannel written, EncodeResult result) {
        JsonObject keyJson = JsonParser.parseString(key.canonicalJson()).getAsJsonObject();
        return new CacheSidecar(key.sha256(), keyJson, arrowFile.getFileName().toString(), written.bytes(),
                written.sha256(), result.pairs().size(), result.seen(), result.dropped(), Instant.now().toString());
    }

    String toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("keySha256", keySha256);
        json.add("key", key);
        json.addProperty("arrowFile", arrowFile);
        json.addProperty("arrowBytes", arrowBytes);
        json.addProperty("arrowSha256", arrowSha256);
        json.addProperty("pairs", pairs);
        json.addProperty("seen", seen);
        JsonObject droppedJson = new JsonObject();
        dropped.forEach(droppedJson::addProperty);
        json.add("dropped", droppedJson);
        json.addProperty("createdAt", createdAt);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
    }

    /**
     * Reads a sidecar file.
     *
     * @throws CorruptCacheException when the file is not JSON or lacks a field
     */
    static CacheSidecar read(Path file) throws IOException, CorruptCacheException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            JsonObject json = JsonParser.parseString(text).getAsJsonObject();
            Map<String, Long> dropped = new TreeMap<>();
            for (Map.Entry<String, JsonElement> entry : field(json, "dropped").getAsJsonObject().entrySet()) {
                dropped.put(entry.getKey(), entry.getValue().getAsLong());
            }
            return new CacheSidecar(field(json, "keySha256").getAsString(), field(json, "key").getAsJsonObject(),
                    field(json, "arrowFile").getAsString(), field(json, "arrowBytes").getAsLong(),
                    field(json, "arrowSha256").getAsString(), field(json, "pairs").getAsLong(),
                    field(json, "seen").getAsLong(), dropped, field(json, "createdAt").getAsString());
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                | NumberFormatException e) {
            throw new CorruptCacheException("sidecar " + file + " is not valid: " + e.getMessage(), e);
        }
    }

    private static JsonElement field(JsonObject json, String name) {
        JsonElement value = json.get(name);
        if (value == null || value.isJsonNull()) {
            throw new IllegalStateException("field '" + name + "' is missing");
        }
        return value;
    }

    /** Checks that this sidecar describes {@code expected} and names {@code arrowFileName}. */
    void checkKey(CacheKey expected, String arrowFileName) throws CorruptCacheException {
        if (!keySha256.equals(expected.sha256())) {
            throw new CorruptCacheException("sidecar key digest " + keySha256 + " differs from " + expected.sha256());
        }
        if (!key.equals(JsonParser.parseString(expected.canonicalJson()))) {
            throw new CorruptCacheException("sidecar key " + key + " differs from " + expected.canonicalJson());
        }
        if (!arrowFile.equals(arrowFileName)) {
            throw new CorruptCacheException("sidecar names Arrow file " + arrowFile + ", expected " + arrowFileName);
        }
    }

    /** Checks that a result read from the Arrow file has the counts recorded here. */
    void checkCounts(EncodeResult result) throws CorruptCacheException {
        if (result.pairs().size() != pairs || result.seen() != seen || !result.dropped().equals(dropped)) {
            throw new CorruptCacheException("Arrow file contains " + result.pairs().size() + " pairs of "
                    + result.seen() + " seen, dropped " + result.dropped() + "; the sidecar records " + pairs + " of "
                    + seen + ", dropped " + dropped);
        }
    }
}
