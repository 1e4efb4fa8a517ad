package org.rlhf4j.evaluation.plot;

import java.util.Locale;

/**
 * Tick positions at "nice" steps (1, 2 or 5 times a power of ten) and their labels.
 *
 * @param values the tick positions, ascending
 * @param step the distance between ticks
 */
record AxisTicks(double[] values, double step) {

    /**
     * Returns ticks inside {@code [min, max]}, about {@code target} of them.
     *
     * @param integerSteps whether the step must be a whole number, for counts
     */
    static AxisTicks nice(double min, double max, int target, boolean integerSteps) {
        if (!(min < max)) {
            throw new IllegalArgumentException("tick range must have min < max, got [" + min + ", " + max + "]");
        }
        double step = niceStep((max - min) / Math.max(1, target));
        if (integerSteps) {
            step = Math.max(1, step);
        }
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        double[] values = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (first + i) * step + 0.0;
        }
        return new AxisTicks(values, step);
    }

    /** Returns 1, 2 or 5 times a power of ten, the nearest such number at or above about {@code raw}. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double normalized = raw / magnitude;
        double nice;
        if (normalized < 1.5) {
            nice = 1;
        } else if (normalized < 3) {
            nice = 2;
        } else if (normalized < 7) {
            nice = 5;
        } else {
            nice = 10;
        }
        return nice * magnitude;
    }

    /** Formats a tick value with as many decimals as the step needs, such as "0.25" or "1000". */
    String label(double value) {
        double magnitude = Math.max(Math.abs(value), step);
        if (magnitude >= 1e6 || step < 1e-4) {
            return String.format(Locale.ROOT, "%.2g", value);
        }
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
    }
}
