package org.rlhf4j.models.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small GGUF files for tests, value by value, so every field can be chosen or broken. */
final class GgufTestWriter {

    private int magic = GgufFile.MAGIC;
    private int version = 3;
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;
    private final List<byte[]> entries = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();

    private record Tensor(String name, long[] dims, int type, byte[] data) {
    }

    GgufTestWriter magic(int value) {
        this.magic = value;
        return this;
    }

    GgufTestWriter version(int value) {
        this.version = value;
        return this;
    }

    /** Adds a metadata entry whose value bytes are already encoded. */
    GgufTestWriter entry(String key, GgufValueType type, byte[] valueBytes) {
        Buffer out = new Buffer();
        out.string(key);
        out.u32(type.code());
        out.bytes(valueBytes);
        entries.add(out.toBytes());
        return this;
    }

    GgufTestWriter string(String key, String value) {
        return entry(key, GgufValueType.STRING, new Buffer().string(value).toBytes());
    }

    GgufTestWriter u32(String key, long value) {
        return entry(key, GgufValueType.UINT32, new Buffer().u32(value).toBytes());
    }

    /** Sets {@code general.alignment} (as UINT32) and uses it for the data section. */
    GgufTestWriter alignment(int value) {
        this.alignment = value;
        return u32(GgufFile.ALIGNMENT_KEY, value);
    }

    GgufTestWriter tensor(String name, long[] dims, int type, byte[] data) {
        tensors.add(new Tensor(name, dims, type, data));
        return this;
    }

    GgufTestWriter f32Tensor(String name, long[] dims, float... values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            data.putFloat(value);
        }
        return tensor(name, dims, GgmlType.F32.code(), data.array());
    }

    byte[] toBytes() {
        Buffer out = new Buffer();
        out.i32(magic);
        out.u32(version);
        out.u64(tensors.size());
        out.u64(entries.size());
        entries.forEach(out::bytes);
        long offset = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor tensor : tensors) {
            out.string(tensor.name());
            out.u32(tensor.dims().length);
            for (long dim : tensor.dims()) {
                out.u64(dim);
            }
            out.u32(tensor.type());
            out.u64(offset);
            offsets.add(offset);
            offset = align(offset + tensor.data().length);
        }
        out.padTo(align(out.size()));
        long dataStart = out.size();
        for (int i = 0; i < tensors.size(); i++) {
            out.padTo(dataStart + offsets.get(i));
            out.bytes(tensors.get(i).data());
        }
        return out.toBytes();
    }

    Path writeTo(Path file) throws IOException {
        Files.write(file, toBytes());
        return file;
    }

    private long align(long value) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** Little-endian byte sink. */
    static final class Buffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private Buffer put(int bytes, long value) {
            for (int i = 0; i < bytes; i++) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        Buffer u8(int value) {
            return put(1, value);
        }

        Buffer u16(int value) {
            return put(2, value);
        }

        Buffer u32(long value) {
            return put(4, value);
        }

        Buffer i32(int value) {
            return put(4, value);
        }

        Buffer u64(long value) {
            return put(8, value);
        }

        Buffer f32(float value) {
            return put(4, Float.floatToIntBits(value));
        }

        Buffer f64(double value) {
            return put(8, Double.doubleToLongBits(value));
        }

        Buffer string(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            return bytes(bytes);
        }

        Buffer bytes(byte[] bytes) {
            out.write(bytes, 0, bytes.length);
            return this;
        }

        Buffer padTo(long size) {
            while (out.size() < size) {
                out.write(0);
            }
            return this;
        }

        long size() {
            return out.size();
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
