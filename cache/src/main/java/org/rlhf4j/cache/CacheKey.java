package org.rlhf4j.cache;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;

/**
 * Everything that determines the token ids of a data set, and so names one cache entry.
 *
 * <p>Two keys with equal components have the same {@link #sha256()}. The digest is the SHA-256 of
 * {@link #canonicalJson()}, a compact JSON object with the components in declaration order, for
 * example:
 * <pre>{@code
 * {"formatVersion":1,"dataSha256":"9f86...","dataSource":"hh-rlhf",
 *  "readOptions":{"onError":"SKIP","keepTies":false,"maxLineChars":16777216},
 *  "tokenizer":"sentencepiece-sha256:3b2c...","chatTemplate":"plain","maxLength":192,"truncation":"TRUNCATE"}
 * }</pre>
 *
 * @param formatVersion the layout version of the cache files, {@link #FORMAT_VERSION} for new keys
 * @param dataSha256 lowercase hex SHA-256 of the data file's bytes (of the compressed bytes for
 *     {@code .gz} files)
 * @param dataSource plugin name of the data source that reads the file, such as {@code hh-rlhf}
 * @param readOptions the options the data source reads the file with
 * @param tokenizer the tokenizer's fingerprint, from {@link TokenizerFingerprint#of} or given by the
 *     caller for other tokenizers
 * @param chatTemplate the chat template's name, such as {@code plain}
 * @param maxLength the maximum number of tokens per side given to the {@link PairEncoder}
 * @param truncation what the encoder does with longer sides
 */
public record CacheKey(int formatVersion, String dataSha256, String dataSource, ReadOptions readOptions,
        String tokenizer, String chatTemplate, int maxLength, TruncationMode truncation) {

    /**
     * Version of the cache file layout (Arrow schema and sidecar), part of every key.
     *
     * <p>NOTE: the key does not cover the code of the data readers, the tokenizer or the pair
     * encoder. A change there that alters the token ids of unchanged inputs must raise this version,
     * or users must empty the cache folder, or stale ids are reloaded.
     */
    public static final int FORMAT_VERSION = 1;

    private static final Gson CANONICAL = new GsonBuilder().disableHtmlEscaping().create();

    public CacheKey {
        if (formatVersion < 1) {
            throw new IllegalArgumentException("formatVersion must be >= 1, got " + formatVersion);
        }
        Objects.requireNonNull(dataSha256, "dataSha256");
        dataSha256 = dataSha256.toLowerCase(Locale.ROOT);
        if (!Sha256.isHex(dataSha256)) {
            throw new IllegalArgumentException("dataSha256 must be 64 hex digits, got '" + dataSha256 + "'");
        }
        requireText("dataSource", dataSource);
        Objects.requireNonNull(readOptions, "readOptions");
        requireText("tokenizer", tokenizer);
        requireText("chatTemplate", chatTemplate);
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2 to hold BOS and EOS, got " + maxLength);
        }
        Objects.requireNonNull(truncation, "truncation");
    }

    /**
     * Starts a key with format version {@link #FORMAT_VERSION}.
     *
     * @return a builder with no component set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the components as a JSON object, compact and in declaration order; the read options
     * appear as an object of their record components.
     *
     * @return the JSON text that {@link #sha256()} digests
     */
    public String canonicalJson() {
        return CANONICAL.toJson(describe());
    }

    /**
     * Computes the lowercase hex SHA-256 of {@link #canonicalJson()} in UTF-8, which names the cache
     * files.
     *
     * @return 64 hex digits
     */
    public String sha256() {
        return Sha256.hex(canonicalJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the components as an ordered map of JSON values: strings, numbers, booleans and maps. */
    Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("formatVersion", formatVersion);
        fields.put("dataSha256", dataSha256);
        fields.put("dataSource", dataSource);
        fields.put("readOptions", describe(readOptions));
        fields.put("tokenizer", tokenizer);
        fields.put("chatTemplate", chatTemplate);
        fields.put("maxLength", maxLength);
        fields.put("truncation", truncation.name());
        return fields;
    }

    /**
     * Lists every record component of the read options, so that a component added to
     * {@link ReadOptions} later changes the key without a change here.
     */
    private static Map<String, Object> describe(ReadOptions options) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent component : ReadOptions.class.getRecordComponents()) {
            fields.put(component.getName(), jsonValue(read(component, options)));
        }
        return fields;
    }

    /** Keeps numbers, booleans and null, and turns enums into their names and other values into strings. */
    private static Object jsonValue(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        return value.toString();
    }

    private static Object read(RecordComponent component, ReadOptions options) {
        try {
            return component.getAccessor().invoke(options);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Failed to read ReadOptions." + component.getName(), e);
        }
    }

    private static void requireText(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** Builder of {@link CacheKey}; every component except the format version must be set. */
    public static final class Builder {

        private String dataSha256;
        private String dataSource;
        private ReadOptions readOptions;
        private String tokenizer;
        private String chatTemplate;
        private Integer maxLength;
        private TruncationMode truncation;

        private Builder() {
        }

        /**
         * Sets the data file digest by reading the whole file.
         *
         * @param file the data file, read as stored (a {@code .gz} file is not decompressed)
         * @return this builder
         * @throws IOException when the file cannot be read
         */
        public Builder dataFile(Path file) throws IOException {
            this.dataSha256 = Sha256.ofFile(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * Sets the data file digest computed elsewhere.
         *
         * @param sha256 64 hex digits
         * @return this builder
         */
        public Builder dataSha256(String sha256) {
            this.dataSha256 = Objects.requireNonNull(sha256, "sha256");
            return this;
        }

        /**
         * Sets the data source and the options it reads with.
         *
         * @param name the plugin name of the source, such as {@code hh-rlhf}
         * @param options the read options
         * @return this builder
         */
        public Builder dataSource(String name, ReadOptions options) {
            this.dataSource = Objects.requireNonNull(name, "name");
            this.readOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sets the tokenizer identity to the fingerprint of a SentencePiece vocabulary.
         *
         * @param sentencePiece the tokenizer
         * @return this builder
         */
        public Builder tokenizer(SentencePieceTokenizer sentencePiece) {
            this.tokenizer = TokenizerFingerprint.of(sentencePiece);
            return this;
        }

        /**
         * Sets the tokenizer identity to a caller's fingerprint, for tokenizers other than
         * {@link SentencePieceTokenizer}. It must change whenever the tokenizer's ids change.
         *
         * @param fingerprint a non-blank string, such as a digest of the tokenizer files
         * @return this builder
         */
        public Builder tokenizerFingerprint(String fingerprint) {
            this.tokenizer = Objects.requireNonNull(fingerprint, "fingerprint");
            return this;
        }

        /**
         * Sets the chat template by its {@link ChatTemplate#name()}.
         *
         * @param template the template
         * @return this builder
         */
        public Builder chatTemplate(ChatTemplate template) {
            return chatTemplate(Objects.requireNonNull(template, "template").name());
        }

        /**
         * Sets the chat template name.
         *
         * @param name the template name, such as {@code plain}
         * @return this builder
         */
        public Builder chatTemplate(String name) {
            this.chatTemplate = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets the maximum length and the truncation mode of an encoder.
         *
         * @param encoder the encoder that produces the cached pairs
         * @return this builder
         */
        public Builder encoder(PairEncoder encoder) {
            Objects.requireNonNull(encoder, "encoder");
            return maxLength(encoder.maxLength()).truncation(encoder.mode());
        }

        /**
         * Sets the maximum number of tokens per side.
         *
         * @param tokens at least 2
         * @return this builder
         */
        public Builder maxLength(int tokens) {
            if (tokens < 2) {
                throw new IllegalArgumentException("maxLength must be >= 2 to hold BOS and EOS, got " + tokens);
            }
            this.maxLength = tokens;
            return this;
        }

        /**
         * Sets what the encoder does with longer sides.
         *
         * @param mode the truncation mode
         * @return this builder
         */
        public Builder truncation(TruncationMode mode) {
            this.truncation = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Builds the key.
         *
         * @return the key, with format version {@link #FORMAT_VERSION}
         * @throws IllegalStateException when a component is not set; the message names it
         */
        public CacheKey build() {
            return new CacheKey(FORMAT_VERSION, required("data file digest", dataSha256),
                    required("data source", dataSource), readOptions, required("tokenizer", tokenizer),
                    required("chat template", chatTemplate), required("max length", maxLength),
                    required("truncation mode", truncation));
        }

        private static <T> T required(String name, T value) {
            if (value == null) {
                throw new IllegalStateException("The cache key's " + name + " is not set");
            }
            return value;
        }
    }
}
