package org.rlhf4j.algorithms.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlhf4j.models.io.DurableFiles;

/**
 * Reads and writes named tensors in the safetensors layout: an 8-byte little-endian header size,
 * a JSON header with the dtype, shape and byte range of each tensor, padded with spaces to a
 * multiple of 8 bytes, then the raw little-endian tensor data in header order.
 *
 * <p>Writing streams one tensor at a time. BF16 is not supported because DJL 0.36 with PyTorch
 * 2.7.1 aborts the JVM on BF16 arrays.
 */
final class Safetensors {

    private static final String METADATA_KEY = "__metadata__";
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private Safetensors() {}

    /**
     * Writes tensors to a new file, flushes it to disk and returns its size and SHA-256.
     *
     * @throws IOException when writing fails
     */
    static FileDigest write(Path file, Map<String, NDArray> tensors) throws IOException {
        requireLittleEndian();
        byte[] header = header(tensors);
        MessageDigest digest = DurableFiles.newSha256();
        try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)), digest)) {
            out.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            WritableByteChannel channel = Channels.newChannel(out);
            for (NDArray tensor : tensors.values()) {
                ByteBuffer data = bytesOf(tensor);
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            }
        }
        DurableFiles.fsync(file);
        return new FileDigest(Files.size(file), HexFormat.of().formatHex(digest.digest()));
    }

    private static byte[] header(Map<String, NDArray> tensors) {
        JsonObject json = new JsonObject();
        JsonObject metadata = new JsonObject();
        metadata.addProperty("format", "pt");
        json.add(METADATA_KEY, metadata);
        long offset = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            NDArray tensor = entry.getValue();
            long bytes = tensor.getShape().size() * tensor.getDataType().getNumOfBytes();
            JsonObject info = new JsonObject();
            info.addProperty("dtype", dtypeName(entry.getKey(), tensor.getDataType()));
            JsonArray shape = new JsonArray();
            for (long dimension : tensor.getShape().getShape()) {
                shape.add(dimension);
            }
            info.add("shape", shape);
            JsonArray range = new JsonArray();
            range.add(offset);
            range.add(offset + bytes);
            info.add("data_offsets", range);
            json.add(entry.getKey(), info);
            offset += bytes;
        }
        byte[] text = new Gson().toJson(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(text, padded);
        Arrays.fill(header, text.length, padded, (byte) ' ');
        return header;
    }

    /** Returns the raw bytes of a tensor, copying it to the CPU in a scope of its own when needed. */
    private static ByteBuffer bytesOf(NDArray tensor) {
        if (tensor.getDevice().equals(Device.cpu())) {
            return tensor.toByteBuffer();
        }
        try (NDManager scope = tensor.getManager().newSubManager()) {
            NDArray copy = tensor.toDevice(Device.cpu(), true);
            copy.attach(scope);
            ByteBuffer bytes = copy.toByteBuffer();
            ByteBuffer owned = ByteBuffer.allocate(bytes.remaining());
            owned.put(bytes).flip();
            return owned;
        }
    }

    /**
     * Reads every tensor of a file into CPU arrays of {@code manager}, in header order.
     *
     * @throws CorruptCheckpointException when the layout is invalid, naming the file
     * @throws IOException when reading fails
     */
    static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        requireLittleEndian();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer sizeBytes = readFully(channel, 0, Long.BYTES, file, size);
            long headerBytes = sizeBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerBytes <= 0 || headerBytes > MAX_HEADER_BYTES || Long.BYTES + headerBytes > size) {
                throw new CorruptCheckpointException(file, "is not a safetensors file: header size " + headerBytes
                        + " does not fit its " + size + " bytes");
            }
            ByteBuffer header = readFully(channel, Long.BYTES, (int) headerBytes, file, size);
            JsonObject json = parseHeader(file, StandardCharsets.UTF_8.decode(header).toString());
            long dataStart = Long.BYTES + headerBytes;
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
                if (!entry.getKey().equals(METADATA_KEY)) {
                    TensorInfo info = TensorInfo.parse(file, entry.getKey(), entry.getValue(), size - dataStart);
                    ByteBuffer data = readFully(channel, dataStart + info.start(), (int) info.bytes(), file, size);
                    ByteBuffer direct = manager.allocateDirect((int) info.bytes());
                    direct.put(data).flip();
                    tensors.put(entry.getKey(), manager.create(direct, info.shape(), info.type()));
                }
            }
            return tensors;
        }
    }

    private static JsonObject parseHeader(Path file, String text) throws CorruptCheckpointException {
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new CorruptCheckpointException(file, "has a safetensors header that is not a JSON object");
            }
            return parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CorruptCheckpointException(file, "has an invalid safetensors header: " + e.getMessage());
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file, long size)
            throws IOException {
        if (position + length > size) {
            throw new CorruptCheckpointException(file, "is truncated: it has " + size + " bytes but needs "
                    + (position + length));
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new CorruptCheckpointException(file, "ended early at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static String dtypeName(String name, DataType type) {
        return switch (type) {
            case FLOAT64 -> "F64";
            case FLOAT32 -> "F32";
            case FLOAT16 -> "F16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOLEAN -> "BOOL";
            default -> throw new IllegalArgumentException("Tensor '" + name + "' has data type " + type
                    + ", which checkpoints do not support");
        };
    }

    /** Returns the data type of a safetensors dtype name, or null for an unsupported one. */
    private static DataType dataType(String dtype) {
        return switch (dtype) {
            case "F64" -> DataType.FLOAT64;
            case "F32" -> DataType.FLOAT32;
            case "F16" -> DataType.FLOAT16;
            case "I64" -> DataType.INT64;
            case "I32" -> DataType.INT32;
            case "I8" -> DataType.INT8;
            case "U8" -> DataType.UINT8;
            case "BOOL" -> DataType.BOOLEAN;
            default -> null;
        };
    }

    private static void requireLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("Checkpoints are written on little-endian platforms only");
        }
    }

    /** One header entry: data type, shape and byte range relative to the start of the data. */
    private record TensorInfo(DataType type, Shape shape, long start, long bytes) {

        static TensorInfo parse(Path file, String name, JsonElement element, long dataBytes)
                throws CorruptCheckpointException {
            try {
                JsonObject info = element.getAsJsonObject();
                DataType type = dataType(info.get("dtype").getAsString());
                if (type == null) {
                    throw new CorruptCheckpointException(file, "has tensor '" + name + "' with unsupported dtype "
                            + info.get("dtype"));
                }
                JsonArray dimensions = info.getAsJsonArray("shape");
                long[] shape = new long[dimensions.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dimensions.get(i).getAsLong();
                }
                JsonArray range = info.getAsJsonArray("data_offsets");
                long start = range.get(0).getAsLong();
                long end = range.get(1).getAsLong();
                long expected = new Shape(shape).size() * type.getNumOfBytes();
                if (start < 0 || end - start != expected || end > dataBytes || expected > Integer.MAX_VALUE) {
                    throw new CorruptCheckpointException(file, "has tensor '" + name + "' with byte range [" + start
                            + ", " + end + ") that does not match its shape or the " + dataBytes + " data bytes");
                }
                return new TensorInfo(type, new Shape(shape), start, expected);
            } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                    | IndexOutOfBoundsException e) {
                throw new CorruptCheckpointException(file, "has an invalid header entry for tensor '" + name + "': "
                        + e.getMessage());
            }
        }
    }
}
