package org.rlhf4j.hardware;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much of a transformer layer's activations training keeps for the backward pass, following
 * Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models"
 * (arXiv:2205.05198), section 4.
 */
public enum ActivationRecompute {
    /** Keeps every activation: {@code s*b*h*(34 + 5*a*s/h)} bytes per layer at 16 bits. */
    NONE,
    /**
     * Recomputes the attention scores, softmax and dropout in the backward pass and keeps the rest:
     * {@code 34*s*b*h} bytes per layer. FlashAttention kernels do not store the scores either, so
     * this is also roughly their footprint.
     */
    SELECTIVE,
    /**
     * Keeps only each layer's input ({@code 2*s*b*h} bytes) and recomputes the whole layer in the
     * backward pass, so only one layer's full activations exist at a time.
     */
    FULL;

    /** Returns the lowercase name used on the command line and in JSON, such as {@code "selective"}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a label, ignoring case.
     *
     * @param label {@code none}, {@code selective} or {@code full}
     * @return the constant
     * @throws IllegalArgumentException for any other label. The message lists the valid labels.
     */
    public static ActivationRecompute fromLabel(String label) {
        for (ActivationRecompute value : values()) {
            if (value.label().equals(label == null ? null : label.trim().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        String known = Arrays.stream(values()).map(ActivationRecompute::label).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("Unknown activation recomputation '" + label + "'. Known: " + known);
    }
}
