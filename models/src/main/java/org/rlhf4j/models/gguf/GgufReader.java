package org.rlhf4j.models.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sequential little-endian reader over the header of a GGUF file. Every read checks the file
 * size first, so a truncated file gives a {@link GgufFormatException} that names what was being
 * read instead of an {@code EOFException} or a huge allocation.
 */
final class GgufReader {

    private static final int BUFFER_BYTES = 1 << 16;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart;
    private String context = "the header";

    GgufReader(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
        buffer.limit(0);
    }

    /** Sets a description of the data being read, used in error messages. */
    void context(String description) {
        this.context = description;
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long size() {
        return size;
    }

    GgufFormatException error(String problem) {
        return new GgufFormatException(path, problem);
    }

    private void require(long bytes) throws IOException {
        if (buffer.remaining() >= bytes) {
            return;
        }
        long at = position();
        if (size - at < bytes) {
            throw error("file is truncated: " + bytes + " bytes of " + context + " are needed at offset " + at
                    + " but the file has " + size + " bytes");
        }
        buffer.compact();
        bufferStart = at;
        while (buffer.position() < bytes) {
            int read = channel.read(buffer, bufferStart + buffer.position());
            if (read < 0) {
                throw error("file is truncated at offset " + position() + " while reading " + context);
            }
        }
        buffer.flip();
    }

    int u8() throws IOException {
        require(1);
        return buffer.get() & 0xFF;
    }

    int i8() throws IOException {
        require(1);
        return buffer.get();
    }

    int u16() throws IOException {
        require(2);
        return buffer.getShort() & 0xFFFF;
    }

    int i16() throws IOException {
        require(2);
        return buffer.getShort();
    }

    long u32() throws IOException {
        require(4);
        return buffer.getInt() & 0xFFFFFFFFL;
    }

    int i32() throws IOException {
        require(4);
        return buffer.getInt();
    }

    long i64() throws IOException {
        require(8);
        return buffer.getLong();
    }

    float f32() throws IOException {
        require(4);
        return buffer.getFloat();
    }

    double f64() throws IOException {
        require(8);
        return buffer.getDouble();
    }

    /** Reads a count or length stored as uint64 and checks that it fits in the rest of the file. */
    long count(String field, long bytesPerItem) throws IOException {
        long count = i64();
        long remaining = size - position();
        if (count < 0 || count > remaining / Math.max(1, bytesPerItem)) {
            throw error("file is truncated or corrupt: " + field + " of " + context + " is "
                    + Long.toUnsignedString(count) + " but only " + remaining + " bytes follow offset " + position());
        }
        return count;
    }

    String string() throws IOException {
        int length = Math.toIntExact(count("the string length", 1));
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            require(Math.min(BUFFER_BYTES, length - done));
            int chunk = Math.min(buffer.remaining(), length - done);
            buffer.get(bytes, done, chunk);
            done += chunk;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    GgufValueType valueType() throws IOException {
        long code = u32();
        GgufValueType type = GgufValueType.fromCode(code);
        if (type == null) {
            throw error("unknown metadata value type " + code + " in " + context);
        }
        return type;
    }

    GgufValue value(GgufValueType type) throws IOException {
        if (type == GgufValueType.ARRAY) {
            GgufValueType elementType = valueType();
            int count = Math.toIntExact(count("the array length", elementType.minBytes()));
            List<GgufValue> elements = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                elements.add(value(elementType));
            }
            return new GgufValue(GgufValueType.ARRAY, elementType, elements);
        }
        return GgufValue.scalar(type, scalar(type));
    }

    private Object scalar(GgufValueType type) throws IOException {
        return switch (type) {
            case UINT8 -> u8();
            case INT8 -> i8();
            case UINT16 -> u16();
            case INT16 -> i16();
            case UINT32 -> u32();
            case INT32 -> i32();
            case FLOAT32 -> f32();
            case BOOL -> u8() != 0;
            case STRING -> string();
            case UINT64, INT64 -> i64();
            case FLOAT64 -> f64();
            case ARRAY -> throw new IllegalStateException("arrays are read by value()");
        };
    }
}
