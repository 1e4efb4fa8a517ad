package org.rlhf4j.models.gguf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parsed GGUF file (versions 2 and 3): its metadata, its tensor descriptions and on-demand
 * loading of F32 and F16 tensor data.
 *
 * <p>{@link #open(Path)} reads the header only. Tensor data is read from the file each time
 * {@link #loadTensor} is called, so no file handle stays open. Only little-endian files are
 * supported, which is what llama.cpp writes by default.
 *
 * <pre>{@code
 * GgufFile gguf = GgufFile.open(Path.of("stories260K.gguf"));
 * long layers = gguf.getLong("llama.block_count");
 * NDArray embedding = gguf.loadTensor(manager, "token_embd.weight"); // shape [vocab, dim]
 * }</pre>
 */
public final class GgufFile {

    /** The magic number "GGUF" read as a little-endian uint32. */
    public static final int MAGIC = 0x46554747;
    /** The alignment of tensor data when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** The metadata key that overrides the data alignment. */
    public static final String ALIGNMENT_KEY = "general.alignment";

    private static final Logger logger = LoggerFactory.getLogger(GgufFile.class);
    private static final int MAX_DIMENSIONS = 4;

    private final Path path;
    private final int version;
    private final Map<String, GgufValue> metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final int alignment;
    private final long dataOffset;
    private final long fileSize;

    private GgufFile(Path path, int version, Map<String, GgufValue> metadata, Map<String, GgufTensorInfo> tensors,
            int alignment, long dataOffset, long fileSize) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.fileSize = fileSize;
    }

    /**
     * Parses the header, metadata and tensor descriptions of a GGUF file.
     *
     * @param path the file
     * @return the parsed file
     * @throws GgufFormatException when the magic, the version or the layout is invalid, or the file
     *     is truncated; the message names the file
     * @throws IOException when the file cannot be read
     */
    public static GgufFile open(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            GgufReader reader = new GgufReader(path, channel);
            int version = readPreamble(reader);
            long tensorCount = reader.count("the tensor count", 8 + 4 + 4 + 8);
            long metadataCount = reader.count("the metadata count", 8 + 4);
            Map<String, GgufValue> metadata = readMetadata(reader, metadataCount);
            Map<String, GgufTensorInfo> tensors = readTensorInfos(reader, tensorCount);
            int alignment = alignmentOf(reader, metadata);
            long dataOffset = alignUp(reader.position(), alignment);
            GgufFile file = new GgufFile(path, version, metadata, tensors, alignment, dataOffset, reader.size());
            file.checkTensorLayout();
            logger.debug("Opened GGUF v{} file {}: {} metadata keys, {} tensors", version, path, metadata.size(),
                    tensors.size());
            return file;
        }
    }

    private static int readPreamble(GgufReader reader) throws IOException {
        reader.context("the magic number");
        int magic = reader.i32();
        if (magic != MAGIC) {
            throw reader.error(String.format(
                    "not a GGUF file: the first 4 bytes are 0x%08X, expected 0x%08X (\"GGUF\")",
                    Integer.reverseBytes(magic), Integer.reverseBytes(MAGIC)));
        }
        reader.context("the version");
        long version = reader.u32();
        if (version != 2 && version != 3) {
            String hint = version > 0xFFFF ? " (a big-endian file?)" : "";
            throw reader.error("unsupported GGUF version " + version + hint + "; versions 2 and 3 are supported");
        }
        return (int) version;
    }

    private static Map<String, GgufValue> readMetadata(GgufReader reader, long count) throws IOException {
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            reader.context("metadata entry " + i);
            String key = reader.string();
            reader.context("the value of metadata key '" + key + "'");
            GgufValue value = reader.value(reader.valueType());
            if (metadata.put(key, value) != null) {
                throw reader.error("metadata key '" + key + "' appears twice");
            }
        }
        return metadata;
    }

    private static Map<String, GgufTensorInfo> readTensorInfos(GgufReader reader, long count) throws IOException {
        Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            reader.context("tensor info " + i);
            String name = reader.string();
            reader.context("the description of tensor '" + name + "'");
            long dimensionCount = reader.u32();
            if (dimensionCount > MAX_DIMENSIONS) {
                throw reader.error("tensor '" + name + "' has " + dimensionCount + " dimensions; at most "
                        + MAX_DIMENSIONS + " are allowed");
            }
            List<Long> dimensions = new ArrayList<>();
            for (int d = 0; d < dimensionCount; d++) {
                long size = reader.i64();
                if (size < 0) {
                    throw reader.error("tensor '" + name + "' has dimension " + Long.toUnsignedString(size));
                }
                dimensions.add(size);
            }
            int typeCode = Math.toIntExact(reader.u32());
            long offset = reader.i64();
            if (tensors.put(name, new GgufTensorInfo(name, dimensions, typeCode, offset)) != null) {
                throw reader.error("tensor '" + name + "' appears twice");
            }
        }
        return tensors;
    }

    private static int alignmentOf(GgufReader reader, Map<String, GgufValue> metadata) throws IOException {
        GgufValue value = metadata.get(ALIGNMENT_KEY);
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!value.type().isInteger()) {
            throw reader.error(ALIGNMENT_KEY + " must be an integer but is " + value);
        }
        long alignment = value.asLong();
        if (alignment <= 0 || alignment > (1 << 20) || Long.bitCount(alignment) != 1) {
            throw reader.error(ALIGNMENT_KEY + " must be a power of two but is " + alignment);
        }
        return (int) alignment;
    }

    private static long alignUp(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private void checkTensorLayout() throws GgufFormatException {
        for (GgufTensorInfo info : tensors.values()) {
            if (info.offset() < 0 || info.offset() % alignment != 0) {
                throw new GgufFormatException(path, "tensor '" + info.name() + "' starts at data offset "
                        + Long.toUnsignedString(info.offset()) + ", which is not a multiple of the alignment "
                        + alignment);
            }
            GgmlType type = info.type();
            if (type != null && type.isSupported()) {
                long end;
                try {
                    long bytes = Math.multiplyExact(info.elementCount(), type.bytesPerElement());
                    end = Math.addExact(Math.addExact(dataOffset, info.offset()), bytes);
                } catch (ArithmeticException e) {
                    throw new GgufFormatException(path, "tensor '" + info.name() + "' has too many elements: "
                            + info.dimensions());
                }
                if (end > fileSize) {
                    throw new GgufFormatException(path, "file is truncated: tensor '" + info.name() + "' ends at byte "
                            + end + " but the file has " + fileSize + " bytes");
                }
            }
        }
    }

    /** Returns the path the file was read from. */
    public Path path() {
        return path;
    }

    /** Returns the GGUF format version (2 or 3). */
    public int version() {
        return version;
    }

    /** Returns the alignment of tensor data in bytes. */
    public int alignment() {
        return alignment;
    }

    /** Returns the absolute file offset where the tensor data section starts. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Returns all metadata in file order. */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    /** Returns the tensor descriptions in file order. */
    public List<GgufTensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    /**
     * Finds a tensor description by name.
     *
     * @param name the tensor name
     * @return the description, or empty when the file has no such tensor
     */
    public Optional<GgufTensorInfo> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** Returns whether the metadata contains the key. */
    public boolean contains(String key) {
        return metadata.containsKey(key);
    }

    /**
     * Returns a metadata value.
     *
     * @param key the metadata key
     * @return the value
     * @throws IllegalArgumentException when the key is missing
     */
    public GgufValue get(String key) {
        GgufValue value = metadata.get(key);
        if (value == null) {
            throw new IllegalArgumentException("GGUF file " + path + " has no metadata key '" + key + "'");
        }
        return value;
    }

    /** Returns a STRING metadata value; throws IllegalArgumentException when it is missing or not a string. */
    public String getString(String key) {
        return convert(key, get(key), GgufValue::asString);
    }

    /** Returns an integer metadata value of any integer type; throws IllegalArgumentException when missing. */
    public long getLong(String key) {
        return convert(key, get(key), GgufValue::asLong);
    }

    /** Returns an integer metadata value, or the default when the key is missing. */
    public long getLong(String key, long defaultValue) {
        return contains(key) ? getLong(key) : defaultValue;
    }

    /** Returns a numeric metadata value as a double; throws IllegalArgumentException when missing. */
    public double getDouble(String key) {
        return convert(key, get(key), GgufValue::asDouble);
    }

    /** Returns a numeric metadata value as a double, or the default when the key is missing. */
    public double getDouble(String key, double defaultValue) {
        return contains(key) ? getDouble(key) : defaultValue;
    }

    /** Returns a BOOL metadata value, or the default when the key is missing. */
    public boolean getBoolean(String key, boolean defaultValue) {
        return contains(key) ? convert(key, get(key), GgufValue::asBoolean) : defaultValue;
    }

    /** Returns an ARRAY of STRING metadata value. */
    public List<String> getStringArray(String key) {
        List<GgufValue> elements = get(key).asList();
        List<String> strings = new ArrayList<>(elements.size());
        for (GgufValue element : elements) {
            strings.add(convert(key, element, GgufValue::asString));
        }
        return strings;
    }

    /** Returns an ARRAY of numbers metadata value as floats. */
    public float[] getFloatArray(String key) {
        List<GgufValue> elements = convert(key, get(key), GgufValue::asList);
        float[] values = new float[elements.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) convert(key, elements.get(i), GgufValue::asDouble).doubleValue();
        }
        return values;
    }

    /** Returns an ARRAY of integers metadata value as ints. */
    public int[] getIntArray(String key) {
        List<GgufValue> elements = convert(key, get(key), GgufValue::asList);
        int[] values = new int[elements.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.toIntExact(convert(key, elements.get(i), GgufValue::asLong));
        }
        return values;
    }

    private <T> T convert(String key, GgufValue value, java.util.function.Function<GgufValue, T> conversion) {
        try {
            return conversion.apply(value);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(
                    "GGUF file " + path + ", metadata key '" + key + "': " + e.getMessage(), e);
        }
    }

    /**
     * Loads a tensor into a new array with the row-major shape (the GGUF dimensions reversed).
     * F32 tensors become FLOAT32 arrays and F16 tensors FLOAT16 arrays.
     *
     * @param manager the manager of the new array
     * @param name the tensor name
     * @return the tensor, named {@code name}
     * @throws GgufFormatException when the tensor type is not F32 or F16
     * @throws IOException when reading fails
     */
    public NDArray loadTensor(NDManager manager, String name) throws IOException {
        GgufTensorInfo info = requireSupported(name);
        ByteBuffer data = readData(info, true);
        DataType dataType = info.type() == GgmlType.F32 ? DataType.FLOAT32 : DataType.FLOAT16;
        NDArray array = manager.create(data, info.djlShape(), dataType);
        array.setName(name);
        return array;
    }

    /**
     * Loads a tensor as a FLOAT32 array, widening F16 data in Java.
     *
     * @param manager the manager of the new array
     * @param name the tensor name
     * @return the tensor, named {@code name}
     * @throws IOException when the tensor type is unsupported or reading fails
     */
    public NDArray loadTensorAsFloat32(NDManager manager, String name) throws IOException {
        GgufTensorInfo info = requireSupported(name);
        NDArray array = manager.create(readFloats(name), info.djlShape());
        array.setName(name);
        return array;
    }

    /**
     * Reads the values of an F32 or F16 tensor, in row-major order of {@link GgufTensorInfo#djlShape()}.
     *
     * @param name the tensor name
     * @return the values
     * @throws IOException when the tensor type is unsupported or reading fails
     */
    public float[] readFloats(String name) throws IOException {
        GgufTensorInfo info = requireSupported(name);
        ByteBuffer data = readData(info, false);
        float[] values = new float[Math.toIntExact(info.elementCount())];
        if (info.type() == GgmlType.F32) {
            data.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = HalfFloat.toFloat(data.getShort());
            }
        }
        return values;
    }

    private GgufTensorInfo requireSupported(String name) throws GgufFormatException {
        GgufTensorInfo info = tensors.get(name);
        if (info == null) {
            throw new GgufFormatException(path, "no tensor named '" + name + "'");
        }
        GgmlType type = info.type();
        if (type == null || !type.isSupported()) {
            throw new GgufFormatException(path, "tensor '" + name + "' has type " + GgmlType.describe(info.typeCode())
                    + "; only F32 and F16 tensors can be loaded");
        }
        return info;
    }

    private ByteBuffer readData(GgufTensorInfo info, boolean direct) throws IOException {
        long bytes = info.elementCount() * info.type().bytesPerElement();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new GgufFormatException(path, "tensor '" + info.name() + "' has " + bytes
                    + " bytes; tensors over 2 GiB are not supported");
        }
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect((int) bytes) : ByteBuffer.allocate((int) bytes);
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        long start = dataOffset + info.offset();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, start + buffer.position()) < 0) {
                    throw new GgufFormatException(path, "file is truncated: tensor '" + info.name() + "' needs bytes "
                            + start + " to " + (start + bytes) + " but the file has " + channel.size() + " bytes");
                }
            }
        }
        buffer.flip();
        // NOTE: DJL copies a direct buffer's bytes as they are, so this is right on little-endian hosts only.
        return direct ? buffer.order(ByteOrder.nativeOrder()) : buffer;
    }
}
