package org.rlhf4j.cache;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.rlhf4j.algorithms.reward.EncodeResult;
import org.rlhf4j.algorithms.reward.EncodedPair;

/**
 * Reads and writes encoded pairs as an Arrow IPC file (the random-access "file" format).
 *
 * <p>Columns, one row per pair in data set order, in record batches of up to {@link #BATCH_ROWS}
 * rows:
 * <ul>
 *   <li>{@code id}: utf8, not null;
 *   <li>{@code chosen}, {@code rejected}: list of int32 token ids, not null;
 *   <li>{@code magnitude}: float64, not null;
 *   <li>{@code subset}: utf8, null when the pair has no benchmark subset.
 * </ul>
 * {@code subset} is stored plain, not dictionary-encoded: it has few distinct values, but the token
 * lists make up nearly all of the file, and plain columns need no dictionary batches.
 *
 * <p>The schema's custom metadata contains {@code rlhf4j.formatVersion}, {@code rlhf4j.keySha256} (the
 * {@link CacheKey#sha256()} of the entry), {@code rlhf4j.seen} (number of input pairs) and
 * {@code rlhf4j.dropped} (a JSON object of drop counts per reason).
 */
final class PairArrowFormat {

    /** Maximum number of rows per record batch; it bounds the off-heap memory of reading and writing. */
    static final int BATCH_ROWS = 1024;

    static final String FORMAT_VERSION = "rlhf4j.formatVersion";
    static final String KEY_SHA256 = "rlhf4j.keySha256";
    static final String SEEN = "rlhf4j.seen";
    static final String DROPPED = "rlhf4j.dropped";

    private static final String ID = "id";
    private static final String CHOSEN = "chosen";
    private static final String REJECTED = "rejected";
    private static final String MAGNITUDE = "magnitude";
    private static final String SUBSET = "subset";
    private static final List<Field> FIELDS = List.of(
            new Field(ID, FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
            tokenList(CHOSEN),
            tokenList(REJECTED),
            new Field(MAGNITUDE, FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                    null),
            new Field(SUBSET, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));

    private PairArrowFormat() {
    }

    private static Field tokenList(String name) {
        Field item = new Field("item", FieldType.notNullable(new ArrowType.Int(32, true)), null);
        return new Field(name, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(item));
    }

    /**
     * Writes an encode result. The channel is not closed.
     *
     * @throws IllegalStateException when Java does not let Arrow wrap its buffers, which needs the
     *     {@code --add-opens} flag named in the message
     */
    static void write(EncodeResult result, String keySha256, WritableByteChannel out) throws IOException {
        Schema schema = new Schema(FIELDS, metadata(result, keySha256));
        List<EncodedPair> pairs = result.pairs();
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                ArrowFileWriter writer = new ArrowFileWriter(root, null, out)) {
            writer.start();
            for (int from = 0; from < pairs.size(); from += BATCH_ROWS) {
                fill(root, pairs.subList(from, Math.min(pairs.size(), from + BATCH_ROWS)));
                writer.writeBatch();
            }
            writer.end();
        } catch (UnsupportedOperationException e) {
            throw missingOpens(e);
        }
    }

    /**
     * Reads an encode result written by {@link #write} for the key with digest {@code keySha256}.
     *
     * @throws CorruptCacheException when the file is not a valid Arrow file of this layout or
     *     belongs to another key
     */
    static EncodeResult read(SeekableByteChannel in, String keySha256) throws IOException, CorruptCacheException {
        try (BufferAllocator allocator = new RootAllocator();
                ArrowFileReader reader = new ArrowFileReader(in, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            Schema schema = root.getSchema();
            checkSchema(schema, keySha256);
            List<EncodedPair> pairs = new ArrayList<>();
            while (reader.loadNextBatch()) {
                readBatch(root, pairs);
            }
            Map<String, String> metadata = schema.getCustomMetadata();
            return new EncodeResult(pairs, parseCount(SEEN, metadata.get(SEEN)), parseDropped(metadata.get(DROPPED)));
        } catch (UnsupportedOperationException e) {
            throw missingOpens(e);
        } catch (RuntimeException e) {
            // Arrow reports malformed IPC data with several unchecked types (InvalidArrowFileException,
            // IllegalArgumentException, IndexOutOfBoundsException, ...), and EncodedPair rejects bad values.
            throw new CorruptCacheException("not a readable Arrow file of encoded pairs: " + e, e);
        }
    }

    private static Map<String, String> metadata(EncodeResult result, String keySha256) {
        JsonObject dropped = new JsonObject();
        result.dropped().forEach(dropped::addProperty);
        return Map.of(
                FORMAT_VERSION, Integer.toString(CacheKey.FORMAT_VERSION),
                KEY_SHA256, keySha256,
                SEEN, Long.toString(result.seen()),
                DROPPED, dropped.toString());
    }

    private static void fill(VectorSchemaRoot root, List<EncodedPair> batch) {
        root.allocateNew();
        VarCharVector ids = (VarCharVector) root.getVector(ID);
        ListVector chosen = (ListVector) root.getVector(CHOSEN);
        ListVector rejected = (ListVector) root.getVector(REJECTED);
        Float8Vector magnitudes = (Float8Vector) root.getVector(MAGNITUDE);
        VarCharVector subsets = (VarCharVector) root.getVector(SUBSET);
        for (int row = 0; row < batch.size(); row++) {
            EncodedPair pair = batch.get(row);
            ids.setSafe(row, pair.id().getBytes(StandardCharsets.UTF_8));
            setTokens(chosen, row, pair.chosen());
            setTokens(rejected, row, pair.rejected());
            magnitudes.setSafe(row, pair.magnitude());
            if (pair.subset() == null) {
                subsets.setNull(row);
            } else {
                subsets.setSafe(row, pair.subset().getBytes(StandardCharsets.UTF_8));
            }
        }
        root.setRowCount(batch.size());
    }

    private static void setTokens(ListVector list, int row, int[] tokens) {
        IntVector values = (IntVector) list.getDataVector();
        int start = list.startNewValue(row);
        for (int i = 0; i < tokens.length; i++) {
            values.setSafe(start + i, tokens[i]);
        }
        list.endValue(row, tokens.length);
    }

    private static void checkSchema(Schema schema, String keySha256) throws CorruptCacheException {
        if (!schema.getFields().equals(FIELDS)) {
            throw new CorruptCacheException("unexpected Arrow schema " + schema.getFields() + ", expected " + FIELDS);
        }
        Map<String, String> metadata = schema.getCustomMetadata();
        String version = metadata.get(FORMAT_VERSION);
        if (!Integer.toString(CacheKey.FORMAT_VERSION).equals(version)) {
            throw new CorruptCacheException("format version " + version + ", expected " + CacheKey.FORMAT_VERSION);
        }
        String storedKey = metadata.get(KEY_SHA256);
        if (!keySha256.equals(storedKey)) {
            throw new CorruptCacheException("written for key " + storedKey + ", expected " + keySha256);
        }
    }

    private static void readBatch(VectorSchemaRoot root, List<EncodedPair> pairs) throws CorruptCacheException {
        VarCharVector ids = (VarCharVector) root.getVector(ID);
        ListVector chosen = (ListVector) root.getVector(CHOSEN);
        ListVector rejected = (ListVector) root.getVector(REJECTED);
        Float8Vector magnitudes = (Float8Vector) root.getVector(MAGNITUDE);
        VarCharVector subsets = (VarCharVector) root.getVector(SUBSET);
        for (int row = 0; row < root.getRowCount(); row++) {
            if (ids.isNull(row) || chosen.isNull(row) || rejected.isNull(row) || magnitudes.isNull(row)) {
                throw new CorruptCacheException("row " + (pairs.size() + 1) + " has a null in a not-null column");
            }
            String subset = subsets.isNull(row) ? null : new String(subsets.get(row), StandardCharsets.UTF_8);
            pairs.add(new EncodedPair(new String(ids.get(row), StandardCharsets.UTF_8), tokens(chosen, row),
                    tokens(rejected, row), magnitudes.get(row), subset));
        }
    }

    /** Copies one list of token ids straight from the data buffer; the item column has no nulls. */
    private static int[] tokens(ListVector list, int row) {
        int start = list.getElementStartIndex(row);
        int[] tokens = new int[list.getElementEndIndex(row) - start];
        ArrowBuf data = ((IntVector) list.getDataVector()).getDataBuffer();
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = data.getInt((long) (start + i) * IntVector.TYPE_WIDTH);
        }
        return tokens;
    }

    private static long parseCount(String name, String text) throws CorruptCacheException {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new CorruptCacheException("metadata " + name + " is negative: " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new CorruptCacheException("metadata " + name + " is not a count: " + text, e);
        }
    }

    private static Map<String, Long> parseDropped(String json) throws CorruptCacheException {
        if (json == null) {
            throw new CorruptCacheException("metadata " + DROPPED + " is missing");
        }
        Map<String, Long> dropped = new TreeMap<>();
        try {
            for (Map.Entry<String, JsonElement> entry : JsonParser.parseString(json).getAsJsonObject().entrySet()) {
                dropped.put(entry.getKey(), parseCount(DROPPED + "." + entry.getKey(), entry.getValue().getAsString()));
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new CorruptCacheException("metadata " + DROPPED + " is not a JSON object of counts: " + json, e);
        }
        return dropped;
    }

    private static IllegalStateException missingOpens(UnsupportedOperationException e) {
        return new IllegalStateException("Arrow cannot access java.nio buffers: start Java with "
                + "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED", e);
    }
}
