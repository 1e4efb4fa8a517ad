package org.rlhf4j.models.merge;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.rlhf4j.models.io.DurableFiles;
import org.rlhf4j.models.merge.ModelExtrapolation.Convention;

/**
 * Provenance of an extrapolated checkpoint, stored beside its {@code model.json} as
 * {@value #FILE_NAME}. The reward-model format itself is unchanged, so the checkpoint loads like
 * any other saved reward model.
 *
 * <p>A later save into the same directory replaces the whole directory and so drops this file. A
 * reader can compare {@link #weightsSha256()} with the SHA-256 of the directory's weights to tell
 * whether the file still describes them.
 *
 * @param weak the weak source checkpoint
 * @param strong the strong source checkpoint
 * @param factor the factor as the caller gave it
 * @param convention how {@code factor} was read
 * @param weightsSha256 lowercase hex SHA-256 of the extrapolated {@code weights.safetensors}
 */
public record ExtrapolationManifest(Source weak, Source strong, double factor, Convention convention,
        String weightsSha256) {

    /** Name of the file inside the extrapolated checkpoint directory. */
    public static final String FILE_NAME = "extrapolation.json";

    static final String FORMAT = "rlhf4j-model-extrapolation";
    static final int FORMAT_VERSION = 1;

    public ExtrapolationManifest {
        Objects.requireNonNull(weak, "weak");
        Objects.requireNonNull(strong, "strong");
        Objects.requireNonNull(convention, "convention");
        requireSha256("weightsSha256", weightsSha256);
        convention.toAlpha(factor);
    }

    /**
     * A source checkpoint.
     *
     * @param directory the absolute, normalised checkpoint directory
     * @param weightsSha256 lowercase hex SHA-256 of its {@code weights.safetensors}
     * @param tokenizerSha256 lowercase hex SHA-256 of its {@code tokenizer.json}
     */
    public record Source(Path directory, String weightsSha256, String tokenizerSha256) {

        public Source {
            directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
            requireSha256("weightsSha256", weightsSha256);
            requireSha256("tokenizerSha256", tokenizerSha256);
        }
    }

    private static void requireSha256(String name, String value) {
        Objects.requireNonNull(value, name);
        if (!value.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(name + " must be 64 lowercase hex digits but is '" + value + "'");
        }
    }

    /** Returns the alpha in {@code theta_strong + alpha * (theta_strong - theta_weak)} that the factor means. */
    public double alpha() {
        return convention.toAlpha(factor);
    }

    /**
     * Reads the manifest of an extrapolated checkpoint.
     *
     * @param checkpointDirectory the directory written by {@link ModelExtrapolation#extrapolate(Path, Path, double,
     *     Convention, Path)}
     * @return the manifest
     * @throws IOException when the file is missing, is not valid JSON, lacks a field, or records an alpha
     *     that does not follow from its factor and convention
     */
    public static ExtrapolationManifest read(Path checkpointDirectory) throws IOException {
        Path file = checkpointDirectory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException(checkpointDirectory + " has no " + FILE_NAME
                    + ", so it was not written by model extrapolation");
        }
        JsonObject root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(in).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return fromJson(file, root);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IOException(file + " has an invalid value: " + e.getMessage(), e);
        }
    }

    private static ExtrapolationManifest fromJson(Path file, JsonObject root) throws IOException {
        String format = field(file, root, "format").getAsString();
        int version = field(file, root, "format_version").getAsInt();
        if (!FORMAT.equals(format) || version != FORMAT_VERSION) {
            throw new IOException(file + " has format " + format + " version " + version + ". This reader supports "
                    + FORMAT + " version " + FORMAT_VERSION);
        }
        ExtrapolationManifest manifest = new ExtrapolationManifest(
                sourceFromJson(file, field(file, root, "weak").getAsJsonObject()),
                sourceFromJson(file, field(file, root, "strong").getAsJsonObject()),
                field(file, root, "factor").getAsDouble(),
                Convention.valueOf(field(file, root, "convention").getAsString()),
                field(file, root, "weights_sha256").getAsString());
        double storedAlpha = field(file, root, "alpha").getAsDouble();
        if (Double.compare(storedAlpha, manifest.alpha()) != 0) {
            throw new IOException(file + " records alpha " + storedAlpha + " but factor " + manifest.factor()
                    + " under " + manifest.convention() + " means alpha " + manifest.alpha());
        }
        return manifest;
    }

    private static Source sourceFromJson(Path file, JsonObject json) throws IOException {
        return new Source(Path.of(field(file, json, "directory").getAsString()),
                field(file, json, "weights_sha256").getAsString(),
                field(file, json, "tokenizer_sha256").getAsString());
    }

    private static JsonElement field(Path file, JsonObject json, String name) throws IOException {
        JsonElement element = json.get(name);
        if (element == null || element.isJsonNull()) {
            throw new IOException(file + " is missing the field '" + name + "'");
        }
        return element;
    }

    /** Writes this manifest as {@value #FILE_NAME} in a directory and flushes it to disk. */
    void write(Path directory) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("format_version", FORMAT_VERSION);
        root.addProperty("formula", "theta = theta_strong + alpha * (theta_strong - theta_weak), in float32");
        root.addProperty("factor", factor);
        root.addProperty("convention", convention.name());
        root.addProperty("alpha", alpha());
        root.add("weak", sourceToJson(weak));
        root.add("strong", sourceToJson(strong));
        root.addProperty("weights_sha256", weightsSha256);
        Path file = directory.resolve(FILE_NAME);
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n",
                StandardCharsets.UTF_8);
        DurableFiles.fsync(file);
    }

    private static JsonObject sourceToJson(Source source) {
        JsonObject json = new JsonObject();
        json.addProperty("directory", source.directory().toString());
        json.addProperty("weights_sha256", source.weightsSha256());
        json.addProperty("tokenizer_sha256", source.tokenizerSha256());
        return json;
    }
}
