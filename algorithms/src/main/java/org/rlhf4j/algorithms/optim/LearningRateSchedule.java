package org.rlhf4j.algorithms.optim;

import java.util.Locale;

/**
 * Learning rate per optimizer step: a linear warm-up to the peak, then either the peak for the
 * rest of training or a cosine decay to a minimum.
 *
 * <p>For optimizer step {@code k} (1-based) the rate is {@code peak * min(1, k / warmupSteps)}
 * while {@code k <= warmupSteps}. After the warm-up, {@link Kind#CONSTANT} keeps {@code peak},
 * and {@link Kind#COSINE} returns
 * {@code min + (peak - min) * (1 + cos(pi * p)) / 2} with
 * {@code p = (k - warmupSteps) / (totalSteps - warmupSteps)}, clamped to [0, 1], so the rate
 * reaches {@code min} at the last step and stays there if training runs longer.
 *
 * @param kind constant or cosine decay after the warm-up
 * @param peak learning rate at the end of the warm-up, positive
 * @param warmupSteps number of warm-up steps, at least 0; 0 starts at the peak
 * @param totalSteps number of optimizer steps of the whole run, used by the cosine decay; at
 *     least 1
 * @param minimum learning rate at the end of the cosine decay, in [0, peak]; ignored by
 *     {@link Kind#CONSTANT}
 */
public record LearningRateSchedule(Kind kind, double peak, int warmupSteps, long totalSteps, double minimum) {

    /** Shape of the schedule after the warm-up. */
    public enum Kind {
        /** Keeps the peak learning rate. */
        CONSTANT,
        /** Decays to the minimum along a half cosine over the remaining steps. */
        COSINE;

        /**
         * Returns the kind with the given lowercase name.
         *
         * @param name {@code "constant"} or {@code "cosine"}
         * @return the kind
         * @throws IllegalArgumentException for another name
         */
        public static Kind fromName(String name) {
            for (Kind kind : values()) {
                if (kind.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("Unknown schedule '" + name + "'; expected constant or cosine");
        }
    }

    public LearningRateSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("peak learning rate must be positive and finite, got " + peak);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        if (!(minimum >= 0 && minimum <= peak)) {
            throw new IllegalArgumentException("minimum learning rate must be in [0, " + peak + "], got " + minimum);
        }
    }

    /**
     * Creates a schedule that warms up linearly and then keeps the peak.
     *
     * @param peak the learning rate after the warm-up
     * @param warmupSteps number of warm-up steps
     * @return the schedule
     */
    public static LearningRateSchedule constant(double peak, int warmupSteps) {
        return new LearningRateSchedule(Kind.CONSTANT, peak, warmupSteps, Math.max(1, warmupSteps), 0);
    }

    /**
     * Creates a schedule that warms up linearly and then decays along a half cosine.
     *
     * @param peak the learning rate after the warm-up
     * @param warmupSteps number of warm-up steps
     * @param totalSteps number of optimizer steps of the whole run
     * @param minimum the learning rate at the last step
     * @return the schedule
     */
    public static LearningRateSchedule cosine(double peak, int warmupSteps, long totalSteps, double minimum) {
        return new LearningRateSchedule(Kind.COSINE, peak, warmupSteps, totalSteps, minimum);
    }

    /**
     * Returns the learning rate of optimizer step {@code step}.
     *
     * @param step the 1-based optimizer step
     * @return the learning rate
     * @throws IllegalArgumentException when {@code step < 1}
     */
    public double learningRate(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("step is 1-based, got " + step);
        }
        if (step <= warmupSteps) {
            return peak * step / warmupSteps;
        }
        if (kind == Kind.CONSTANT) {
            return peak;
        }
        long decaySteps = totalSteps - warmupSteps;
        double progress = decaySteps <= 0 ? 1.0 : Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return minimum + (peak - minimum) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
