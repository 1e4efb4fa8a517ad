package org.rlhf4j.hardware;

import java.util.Locale;
import java.util.Objects;

/**
 * One model of a pipeline, with the facts that decide its memory: role, shape, training state,
 * generation and batch.
 *
 * @param role what the model does
 * @param shape the model's dimensions
 * @param trainable whether it is trained (gradients, optimizer state and stored activations) or
 *     frozen (weights and a forward pass only)
 * @param generates whether it generates text, which adds a KV cache
 * @param sequenceLength tokens per sequence, prompt and response together
 * @param microBatch sequences per forward pass; a preference pair counts as two
 */
public record RoleSpec(
        ModelRole role, ModelShape shape, boolean trainable, boolean generates, int sequenceLength, int microBatch) {

    public RoleSpec {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(shape, "shape");
        if (sequenceLength < 1) {
            throw new IllegalArgumentException("sequenceLength must be at least 1, got " + sequenceLength);
        }
        if (microBatch < 1) {
            throw new IllegalArgumentException("microBatch must be at least 1, got " + microBatch);
        }
    }

    /**
     * Creates a role that is trained or frozen as {@link ModelRole#trainableByDefault()} returns
     * and does not generate.
     *
     * @param role the role
     * @param shape the model
     * @param sequenceLength tokens per sequence
     * @param microBatch sequences per forward pass
     * @return the role
     */
    public static RoleSpec of(ModelRole role, ModelShape shape, int sequenceLength, int microBatch) {
        return new RoleSpec(role, shape, role.trainableByDefault(), false, sequenceLength, microBatch);
    }

    /** Returns a copy that is trained ({@code true}) or frozen. */
    public RoleSpec withTrainable(boolean value) {
        return new RoleSpec(role, shape, value, generates, sequenceLength, microBatch);
    }

    /** Returns a copy that generates text ({@code true}) or does not. */
    public RoleSpec withGenerates(boolean value) {
        return new RoleSpec(role, shape, trainable, value, sequenceLength, microBatch);
    }

    /** Returns a copy with another micro batch. */
    public RoleSpec withMicroBatch(int value) {
        return new RoleSpec(role, shape, trainable, generates, sequenceLength, value);
    }

    /** Returns the role's lowercase name, such as {@code "policy"}. */
    public String name() {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
