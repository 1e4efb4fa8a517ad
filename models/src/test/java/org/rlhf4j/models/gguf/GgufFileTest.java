package org.rlhf4j.models.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.TestModels;

class GgufFileTest {

    @TempDir
    Path dir;

    @Test
    void readsStoriesHeader() throws IOException {
        GgufFile gguf = GgufFile.open(TestModels.stories260K());

        assertThat(gguf.version()).isEqualTo(3);
        assertThat(gguf.metadata()).hasSize(19);
        assertThat(gguf.tensors()).hasSize(48);
        assertThat(gguf.alignment()).isEqualTo(32);
        assertThat(gguf.dataOffset()).isEqualTo(14176);
        assertThat(gguf.getString("general.architecture")).isEqualTo("llama");
        assertThat(gguf.getLong("llama.block_count")).isEqualTo(5);
        assertThat(gguf.getLong("llama.attention.head_count_kv")).isEqualTo(4);
        assertThat(gguf.getDouble("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5, within(1e-12));
        assertThat(gguf.get("tokenizer.ggml.padding_token_id").asLong()).isEqualTo(4294967295L);
    }

    @Test
    void readsStoriesTokenizerArrays() throws IOException {
        GgufFile gguf = GgufFile.open(TestModels.stories260K());

        List<String> tokens = gguf.getStringArray("tokenizer.ggml.tokens");
        int[] types = gguf.getIntArray("tokenizer.ggml.token_type");
        float[] scores = gguf.getFloatArray("tokenizer.ggml.scores");
        assertThat(tokens).hasSize(512);
        assertThat(tokens.subList(0, 4)).containsExactly("<unk>", "<s>", "</s>", "<0x00>");
        assertThat(tokens.get(317)).isEqualTo("\u2581Lily");
        assertThat(Arrays.copyOf(types, 4)).containsExactly(2, 3, 3, 6);
        assertThat(scores[260]).isEqualTo(-1.0f);
        assertThat(gguf.get("tokenizer.ggml.tokens").elementType()).isEqualTo(GgufValueType.STRING);
    }

    @Test
    void tensorShapeReversesGgufDimensions() throws IOException {
        GgufFile gguf = GgufFile.open(TestModels.stories260K());
        GgufTensorInfo key = gguf.tensor("blk.0.attn_k.weight").orElseThrow();

        assertThat(key.dimensions()).containsExactly(64L, 32L);
        assertThat(key.djlShape()).isEqualTo(new Shape(32, 64));
        assertThat(key.type()).isEqualTo(GgmlType.F32);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray embedding = gguf.loadTensor(manager, "token_embd.weight");
            assertThat(embedding.getShape()).isEqualTo(new Shape(512, 64));
            assertThat(embedding.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(embedding.getName()).isEqualTo("token_embd.weight");
            // Row 0 is the first 64 floats of the tensor data (values read with NumPy).
            assertThat(embedding.getFloat(0, 0)).isEqualTo(-0.29474878f);
            assertThat(embedding.getFloat(0, 1)).isEqualTo(0.5618956f);
            assertThat(embedding.getFloat(1, 0)).isEqualTo(-0.12708569f);
        }
    }

    @Test
    void readsEveryValueType() throws IOException {
        GgufTestWriter.Buffer nested = new GgufTestWriter.Buffer().u32(GgufValueType.ARRAY.code()).u64(2)
                .u32(GgufValueType.INT16.code()).u64(1).u16(-7)
                .u32(GgufValueType.INT16.code()).u64(0);
        Path file = new GgufTestWriter()
                .entry("u8", GgufValueType.UINT8, new GgufTestWriter.Buffer().u8(250).toBytes())
                .entry("i8", GgufValueType.INT8, new GgufTestWriter.Buffer().u8(-3).toBytes())
                .entry("u16", GgufValueType.UINT16, new GgufTestWriter.Buffer().u16(65000).toBytes())
                .entry("i16", GgufValueType.INT16, new GgufTestWriter.Buffer().u16(-300).toBytes())
                .entry("u32", GgufValueType.UINT32, new GgufTestWriter.Buffer().u32(4_000_000_000L).toBytes())
                .entry("i32", GgufValueType.INT32, new GgufTestWriter.Buffer().i32(-70000).toBytes())
                .entry("f32", GgufValueType.FLOAT32, new GgufTestWriter.Buffer().f32(1.5f).toBytes())
                .entry("bool", GgufValueType.BOOL, new GgufTestWriter.Buffer().u8(1).toBytes())
                .string("string", "h\u00e9llo")
                .entry("u64", GgufValueType.UINT64, new GgufTestWriter.Buffer().u64(1L << 40).toBytes())
                .entry("i64", GgufValueType.INT64, new GgufTestWriter.Buffer().u64(-5L).toBytes())
                .entry("f64", GgufValueType.FLOAT64, new GgufTestWriter.Buffer().f64(-0.25).toBytes())
                .entry("strings", GgufValueType.ARRAY, new GgufTestWriter.Buffer().u32(GgufValueType.STRING.code())
                        .u64(2).string("a").string("").toBytes())
                .entry("nested", GgufValueType.ARRAY, nested.toBytes())
                .writeTo(dir.resolve("types.gguf"));

        GgufFile gguf = GgufFile.open(file);

        assertThat(gguf.getLong("u8")).isEqualTo(250);
        assertThat(gguf.getLong("i8")).isEqualTo(-3);
        assertThat(gguf.getLong("u16")).isEqualTo(65000);
        assertThat(gguf.getLong("i16")).isEqualTo(-300);
        assertThat(gguf.getLong("u32")).isEqualTo(4_000_000_000L);
        assertThat(gguf.getLong("i32")).isEqualTo(-70000);
        assertThat(gguf.getDouble("f32")).isEqualTo(1.5);
        assertThat(gguf.getBoolean("bool", false)).isTrue();
        assertThat(gguf.getString("string")).isEqualTo("h\u00e9llo");
        assertThat(gguf.getLong("u64")).isEqualTo(1L << 40);
        assertThat(gguf.getLong("i64")).isEqualTo(-5);
        assertThat(gguf.getDouble("f64")).isEqualTo(-0.25);
        assertThat(gguf.getStringArray("strings")).containsExactly("a", "");
        List<GgufValue> inner = gguf.get("nested").asList();
        assertThat(inner).hasSize(2);
        assertThat(inner.get(0).asList().get(0).asLong()).isEqualTo(-7);
        assertThat(inner.get(1).asList()).isEmpty();
        assertThat(gguf.get("u32").type()).isEqualTo(GgufValueType.UINT32);
    }

    @Test
    void wrongValueTypeNamesKey() throws IOException {
        Path file = new GgufTestWriter().string("name", "x").writeTo(dir.resolve("wrong.gguf"));
        GgufFile gguf = GgufFile.open(file);

        assertThatThrownBy(() -> gguf.getLong("name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'name'")
                .hasMessageContaining("STRING");
        assertThatThrownBy(() -> gguf.getString("absent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no metadata key 'absent'");
    }

    @Test
    void missingTensorNamesFile() throws IOException {
        Path file = new GgufTestWriter().f32Tensor("w", new long[] {1}, 1f).writeTo(dir.resolve("one.gguf"));
        GgufFile gguf = GgufFile.open(file);

        assertThat(gguf.tensor("v")).isEmpty();
        assertThatThrownBy(() -> gguf.readFloats("v"))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("no tensor named 'v'");
    }

    @Test
    void honoursAlignmentKey() throws IOException {
        Path file = new GgufTestWriter()
                .alignment(64)
                .f32Tensor("a", new long[] {3}, 1f, 2f, 3f)
                .f32Tensor("b", new long[] {2, 2}, 4f, 5f, 6f, 7f)
                .writeTo(dir.resolve("aligned.gguf"));

        GgufFile gguf = GgufFile.open(file);

        assertThat(gguf.alignment()).isEqualTo(64);
        assertThat(gguf.dataOffset() % 64).isZero();
        assertThat(gguf.tensor("b").orElseThrow().offset()).isEqualTo(64);
        assertThat(gguf.readFloats("a")).containsExactly(1f, 2f, 3f);
        assertThat(gguf.readFloats("b")).containsExactly(4f, 5f, 6f, 7f);
    }

    @Test
    void readsF16Tensor() throws IOException {
        // 1.0, -2.5, 65504 (largest half), 2^-24 (smallest subnormal), -0.0
        short[] halves = {0x3C00, (short) 0xC100, 0x7BFF, 0x0001, (short) 0x8000};
        GgufTestWriter.Buffer data = new GgufTestWriter.Buffer();
        for (short half : halves) {
            data.u16(half);
        }
        Path file = new GgufTestWriter().version(2)
                .tensor("h", new long[] {5}, GgmlType.F16.code(), data.toBytes())
                .writeTo(dir.resolve("half.gguf"));

        GgufFile gguf = GgufFile.open(file);

        assertThat(gguf.version()).isEqualTo(2);
        assertThat(gguf.readFloats("h")).containsExactly(1.0f, -2.5f, 65504f, 0x1.0p-24f, -0.0f);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray half = gguf.loadTensor(manager, "h");
            NDArray widened = gguf.loadTensorAsFloat32(manager, "h");
            assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
            assertThat(widened.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(widened.toFloatArray()).containsExactly(1.0f, -2.5f, 65504f, 0x1.0p-24f, -0.0f);
            assertThat(half.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(widened.toFloatArray());
        }
    }

    @Test
    void rejectsBadMagic() throws IOException {
        Path file = new GgufTestWriter().magic(0x12345678).writeTo(dir.resolve("magic.gguf"));

        assertThatThrownBy(() -> GgufFile.open(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a GGUF file");
    }

    @Test
    void rejectsUnsupportedVersion() throws IOException {
        Path v1 = new GgufTestWriter().version(1).writeTo(dir.resolve("v1.gguf"));
        Path v4 = new GgufTestWriter().version(4).writeTo(dir.resolve("v4.gguf"));

        assertThatThrownBy(() -> GgufFile.open(v1))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining(v1.toString())
                .hasMessageContaining("unsupported GGUF version 1");
        assertThatThrownBy(() -> GgufFile.open(v4))
                .hasMessageContaining("unsupported GGUF version 4");
    }

    @Test
    void rejectsUnsupportedTensorType() throws IOException {
        Path file = new GgufTestWriter()
                .string("general.architecture", "llama")
                .tensor("q", new long[] {32}, GgmlType.Q4_0.code(), new byte[18])
                .writeTo(dir.resolve("quantized.gguf"));

        GgufFile gguf = GgufFile.open(file);

        assertThat(gguf.getString("general.architecture")).isEqualTo("llama");
        assertThatThrownBy(() -> gguf.readFloats("q"))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("tensor 'q'")
                .hasMessageContaining("Q4_0 (2)");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        byte[] whole = new GgufTestWriter().string("general.name", "a fairly long model name").toBytes();
        // Header (24 bytes), key length and key (8 + 12), value type (4), value length (8), 5 of 24 value bytes.
        Path file = Files.write(dir.resolve("cut-header.gguf"), Arrays.copyOf(whole, 24 + 8 + 12 + 4 + 8 + 5));

        assertThatThrownBy(() -> GgufFile.open(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("general.name");
    }

    @Test
    void rejectsTruncatedTensorData() throws IOException {
        byte[] whole = new GgufTestWriter().f32Tensor("w", new long[] {4}, 1f, 2f, 3f, 4f).toBytes();
        Path file = Files.write(dir.resolve("cut-data.gguf"), Arrays.copyOf(whole, whole.length - 4));

        assertThatThrownBy(() -> GgufFile.open(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("tensor 'w'");
    }

    @Test
    void rejectsArrayLongerThanFile() throws IOException {
        byte[] header = new GgufTestWriter.Buffer().u32(GgufValueType.UINT32.code()).u64(1L << 40).toBytes();
        Path file = new GgufTestWriter().entry("huge", GgufValueType.ARRAY, header).writeTo(dir.resolve("huge.gguf"));

        assertThatThrownBy(() -> GgufFile.open(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("array length")
                .hasMessageContaining("'huge'");
    }

    @Test
    void rejectsUnalignedTensorOffset() throws IOException {
        GgufTestWriter.Buffer tensorInfo = new GgufTestWriter.Buffer();
        byte[] good = new GgufTestWriter().f32Tensor("w", new long[] {1}, 1f).toBytes();
        // The tensor offset is the 8 bytes just before the padding; set it to 4.
        int offsetAt = 24 + 8 + 1 + 4 + 8 + 4;
        System.arraycopy(tensorInfo.u64(4).toBytes(), 0, good, offsetAt, 8);
        Path file = Files.write(dir.resolve("unaligned.gguf"), good);

        assertThatThrownBy(() -> GgufFile.open(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("not a multiple of the alignment 32");
    }
}
