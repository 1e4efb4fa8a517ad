package org.rlhf4j.models.gguf;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Description of one tensor in a GGUF file.
 *
 * @param name the tensor name, such as {@code blk.0.attn_q.weight}
 * @param dimensions the sizes in GGUF order: the first dimension is the contiguous one
 * @param typeCode the ggml element type code (see {@link GgmlType})
 * @param offset the byte offset of the data, relative to the start of the data section
 */
public record GgufTensorInfo(String name, List<Long> dimensions, int typeCode, long offset) {

    public GgufTensorInfo {
        dimensions = List.copyOf(dimensions);
    }

    /** Returns the element type, or {@code null} when the code is unknown. */
    public GgmlType type() {
        return GgmlType.fromCode(typeCode);
    }

    /** Returns the number of elements. */
    public long elementCount() {
        long count = 1;
        for (long dimension : dimensions) {
            count = Math.multiplyExact(count, dimension);
        }
        return count;
    }

    /** Returns the row-major DJL shape, which lists the GGUF dimensions in reverse order. */
    public Shape djlShape() {
        long[] reversed = new long[dimensions.size()];
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = dimensions.get(reversed.length - 1 - i);
        }
        return new Shape(reversed);
    }
}
