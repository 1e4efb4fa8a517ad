package org.rlhf4j.hardware;

/** Storage type of model weights and gradients. */
public enum Precision {
    /** bfloat16, 2 bytes per value. */
    BF16(2),
    /** IEEE half precision, 2 bytes per value. */
    FP16(2),
    /** IEEE single precision, 4 bytes per value. */
    FP32(4);

    private final int bytesPerValue;

    Precision(int bytesPerValue) {
        this.bytesPerValue = bytesPerValue;
    }

    /** Returns the size of one value in bytes. */
    public int bytesPerValue() {
        return bytesPerValue;
    }
}
