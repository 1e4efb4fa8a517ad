package org.rlhf4j.evaluation.plot;

import java.util.Arrays;

/**
 * The counts of values in bins, computed as numpy's {@code histogram} does: every bin includes its
 * left edge, and the last bin also includes the right edge.
 *
 * <p>Values outside an explicit range are not dropped silently: they are counted in
 * {@link #below()} and {@link #above()}.
 */
public final class HistogramBins {

    private final double[] edges;
    private final long[] counts;
    private final long below;
    private final long above;

    private HistogramBins(double[] edges, long[] counts, long below, long above) {
        this.edges = edges;
        this.counts = counts;
        this.below = below;
        this.above = above;
    }

    /**
     * Bins values over their own range, {@code [min(values), max(values)]}. When all values are
     * equal, the range is that value plus and minus 0.5.
     *
     * @param values the values, all finite, at least one
     * @param bins the number of bins, at least 1
     * @throws IllegalArgumentException for no values, a non-finite value or fewer than one bin
     */
    public static HistogramBins of(double[] values, int bins) {
        double[] range = range(values, false);
        return of(values, bins, range[0], range[1]);
    }

    /**
     * Bins values over {@code [min, max]}.
     *
     * @param values the values, all finite
     * @param bins the number of bins, at least 1
     * @param min the left edge of the first bin
     * @param max the right edge of the last bin, greater than {@code min}
     * @throws IllegalArgumentException for a non-finite value, fewer than one bin or an empty range
     */
    public static HistogramBins of(double[] values, int bins, double min, double max) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range must be finite with min < max, got [" + min + ", " + max + "]");
        }
        double[] edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            edges[i] = min + (max - min) * i / bins;
        }
        edges[bins] = max;
        return ofEdges(values, edges);
    }

    /**
     * Bins values into bins of equal width, close to {@code bins} of them, placed so that 0 is an
     * edge: the bins span whole multiples of the width from below the smallest value (or 0) to above
     * the largest (or 0). A value of exactly 0 falls in the bin that starts at 0.
     *
     * @param values the values, all finite, at least one
     * @param bins the number of bins the range would have without the alignment, at least 1; the
     *     alignment can add one bin at each end
     * @throws IllegalArgumentException for no values, a non-finite value or fewer than one bin
     */
    public static HistogramBins zeroAligned(double[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        double[] range = range(values, true);
        double width = (range[1] - range[0]) / bins;
        long first = (long) Math.floor(range[0] / width);
        long last = Math.max(first + 1, (long) Math.ceil(range[1] / width));
        double[] edges = new double[(int) (last - first + 1)];
        for (int i = 0; i < edges.length; i++) {
            // Multiplying the integer index keeps the edge at index -first exactly 0.
            edges[i] = (first + i) * width;
        }
        return ofEdges(values, edges);
    }

    /**
     * Bins values between ascending edges.
     *
     * @param values the values, all finite
     * @param edges at least two finite, strictly ascending bin edges
     * @throws IllegalArgumentException for a non-finite value or bad edges
     */
    public static HistogramBins ofEdges(double[] values, double[] edges) {
        checkEdges(edges);
        checkFinite(values);
        double[] copy = edges.clone();
        long[] counts = new long[copy.length - 1];
        long below = 0;
        long above = 0;
        for (double value : values) {
            if (value < copy[0]) {
                below++;
            } else if (value > copy[copy.length - 1]) {
                above++;
            } else {
                counts[binIndex(copy, value)]++;
            }
        }
        return new HistogramBins(copy, counts, below, above);
    }

    /**
     * Returns {@code [min, max]} of the values, widened to include 0 when {@code includeZero} is set,
     * and widened by 0.5 on each side when it would be empty.
     */
    static double[] range(double[] values, boolean includeZero) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
        checkFinite(values);
        double min = Arrays.stream(values).min().getAsDouble();
        double max = Arrays.stream(values).max().getAsDouble();
        if (includeZero) {
            min = Math.min(min, 0);
            max = Math.max(max, 0);
        }
        if (min == max) {
            min -= 0.5;
            max += 0.5;
        }
        return new double[] {min, max};
    }

    /** Returns the bin edges, {@code binCount() + 1} ascending values. */
    public double[] edges() {
        return edges.clone();
    }

    /** Returns the number of values in each bin. */
    public long[] counts() {
        return counts.clone();
    }

    /** Returns the number of bins. */
    public int binCount() {
        return counts.length;
    }

    /** Returns the largest bin count. */
    public long maxCount() {
        return Arrays.stream(counts).max().orElse(0);
    }

    /** Returns the number of values below the first edge. */
    public long below() {
        return below;
    }

    /** Returns the number of values above the last edge. */
    public long above() {
        return above;
    }

    /** Returns the number of values inside the range. */
    public long inRange() {
        return Arrays.stream(counts).sum();
    }

    /** Returns the bin of an in-range value: the last bin whose left edge is at most the value. */
    private static int binIndex(double[] edges, double value) {
        int found = Arrays.binarySearch(edges, value);
        int index = found >= 0 ? found : -found - 2;
        return Math.min(index, edges.length - 2);
    }

    private static void checkEdges(double[] edges) {
        if (edges.length < 2) {
            throw new IllegalArgumentException("need at least two bin edges, got " + edges.length);
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException("bin edges must be finite and strictly ascending; edge " + i
                        + " is " + edges[i]);
            }
        }
    }

    private static void checkFinite(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("value at index " + i + " must be finite, got " + values[i]);
            }
        }
    }
}
