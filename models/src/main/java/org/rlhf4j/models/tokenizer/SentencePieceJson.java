package org.rlhf4j.models.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the JSON form of a {@link SentencePieceTokenizer} vocabulary. */
final class SentencePieceJson {

    static final String FORMAT = "rlhf4j-sentencepiece-bpe";
    static final int FORMAT_VERSION = 1;

    private SentencePieceJson() {
    }

    static void write(SentencePieceTokenizer tokenizer, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                JsonWriter json = new JsonWriter(out)) {
            json.beginObject();
            json.name("format").value(FORMAT);
            json.name("format_version").value(FORMAT_VERSION);
            json.name("bos_id").value(tokenizer.bosId());
            json.name("eos_id").value(tokenizer.eosId());
            json.name("unk_id").value(tokenizer.unkId());
            json.name("add_space_prefix").value(tokenizer.addSpacePrefix());
            json.name("pieces").beginArray();
            for (String piece : tokenizer.pieces()) {
                json.value(piece);
            }
            json.endArray();
            json.name("scores").beginArray();
            for (float score : tokenizer.scores()) {
                json.value(score);
            }
            json.endArray();
            json.name("types").beginArray();
            for (int id = 0; id < tokenizer.vocabSize(); id++) {
                json.value(tokenizer.type(id).code());
            }
            json.endArray();
            json.endObject();
        }
    }

    static SentencePieceTokenizer read(Path file) throws IOException {
        JsonObject root;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(in).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException("tokenizer file " + file + " is not a JSON object: " + e.getMessage(), e);
        }
        String format = required(root, "format", file).getAsString();
        int version = required(root, "format_version", file).getAsInt();
        if (!FORMAT.equals(format) || version != FORMAT_VERSION) {
            throw new IOException("tokenizer file " + file + " has format " + format + " version " + version
                    + "; expected " + FORMAT + " version " + FORMAT_VERSION);
        }
        try {
            List<String> pieces = new ArrayList<>();
            for (JsonElement piece : required(root, "pieces", file).getAsJsonArray()) {
                pieces.add(piece.getAsString());
            }
            JsonArray scoreArray = required(root, "scores", file).getAsJsonArray();
            float[] scores = new float[scoreArray.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = scoreArray.get(i).getAsFloat();
            }
            JsonArray typeArray = required(root, "types", file).getAsJsonArray();
            int[] types = new int[typeArray.size()];
            for (int i = 0; i < types.length; i++) {
                types[i] = typeArray.get(i).getAsInt();
            }
            return SentencePieceTokenizer.of(pieces, scores, types, required(root, "bos_id", file).getAsInt(),
                    required(root, "eos_id", file).getAsInt(), required(root, "unk_id", file).getAsInt(),
                    required(root, "add_space_prefix", file).getAsBoolean());
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new IOException("tokenizer file " + file + " has a value of the wrong type: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("tokenizer file " + file + " has an invalid vocabulary: " + e.getMessage(), e);
        }
    }

    private static JsonElement required(JsonObject root, String name, Path file) throws IOException {
        JsonElement element = root.get(name);
        if (element == null || element.isJsonNull()) {
            throw new IOException("tokenizer file " + file + " is missing the field '" + name + "'");
        }
        return element;
    }
}
