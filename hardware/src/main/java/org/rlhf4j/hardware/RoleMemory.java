package org.rlhf4j.hardware;

/**
 * Estimated memory of the model state of one role, in bytes. Activations, the KV cache, temporary
 * buffers and framework overhead are not included.
 *
 * @param role the role
 * @param trainable whether the estimate includes training state
 * @param parameters parameter count of the model
 * @param weightBytes the weights in their storage precision
 * @param gradientBytes gradients in the weight precision, 0 when frozen
 * @param optimizerStateBytes the two float32 AdamW moment buffers, 0 when frozen
 * @param masterWeightBytes the float32 master copy of mixed-precision training, 0 when frozen or
 *     when the weights are float32 already
 */
public record RoleMemory(
        ModelRole role,
        boolean trainable,
        long parameters,
        long weightBytes,
        long gradientBytes,
        long optimizerStateBytes,
        long masterWeightBytes) {

    /** Returns the sum of all parts. */
    public long totalBytes() {
        return weightBytes + gradientBytes + optimizerStateBytes + masterWeightBytes;
    }

    /** Returns the total bytes divided by the parameter count. */
    public double bytesPerParameter() {
        return (double) totalBytes() / parameters;
    }
}
