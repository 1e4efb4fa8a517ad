package org.rlhf4j.models.gguf;

/** Conversion of IEEE 754 half-precision bits to float (Java 17 has no {@code Float.float16ToFloat}). */
final class HalfFloat {

    private HalfFloat() {
    }

    /**
     * Converts half-precision bits to the float of equal value.
     *
     * @param bits the 16 bits of a binary16 number
     * @return the value, exactly
     */
    static float toFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent != 0) {
            return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
        }
        // Subnormal or zero: the value is mantissa * 2^-24.
        float magnitude = mantissa * 0x1.0p-24f;
        return sign == 0 ? magnitude : -magnitude;
    }
}
