package org.rlhf4j.cache.bench;

import java.util.ArrayList;
import java.util.List;

/** Durations of repeated runs of one step, in milliseconds. */
final class Samples {

    private final List<Double> millis = new ArrayList<>();

    void add(long nanos) {
        millis.add(nanos / 1e6);
    }

    List<Double> values() {
        return List.copyOf(millis);
    }

    /** Returns the median; the mean of the two middle values for an even count. */
    double median() {
        List<Double> sorted = millis.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    double min() {
        return millis.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
