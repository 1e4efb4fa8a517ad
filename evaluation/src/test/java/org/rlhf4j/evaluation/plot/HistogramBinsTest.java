package org.rlhf4j.evaluation.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistogramBinsTest {

    @Test
    void lastBinIncludesRightEdge() {
        double[] values = {-1.0, -0.5, 0.0, 0.5, 1.0, 1.0};

        HistogramBins bins = HistogramBins.of(values, 4, -1, 1);

        assertThat(bins.edges()).containsExactly(-1.0, -0.5, 0.0, 0.5, 1.0);
        assertThat(bins.counts()).containsExactly(1, 1, 1, 3);
    }

    @Test
    void valuesOnDecimalEdgesLandLikeNumpy() {
        double[] values = new double[11];
        for (int i = 0; i <= 10; i++) {
            values[i] = i / 10.0;
        }
        values[3] = 0.1 * 3;

        HistogramBins bins = HistogramBins.of(values, 10, 0, 1);

        assertThat(bins.counts()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 2);
    }

    @Test
    void ownRangeSpansMinToMax() {
        double[] values = {2, 3, 3, 7, 10};

        HistogramBins bins = HistogramBins.of(values, 4);

        assertThat(bins.edges()).containsExactly(2.0, 4.0, 6.0, 8.0, 10.0);
        assertThat(bins.counts()).containsExactly(3, 0, 1, 1);
    }

    @Test
    void equalValuesGetUnitRange() {
        HistogramBins bins = HistogramBins.of(new double[] {5, 5, 5}, 2);

        assertThat(bins.edges()).containsExactly(4.5, 5.0, 5.5);
        assertThat(bins.counts()).containsExactly(0, 3);
    }

    @Test
    void valuesOutsideRangeAreCounted() {
        HistogramBins bins = HistogramBins.of(new double[] {-3, -1, 0.5, 2, 9}, 2, -1, 1);

        assertThat(bins.counts()).containsExactly(1, 1);
        assertThat(bins.below()).isEqualTo(1);
        assertThat(bins.above()).isEqualTo(2);
        assertThat(bins.inRange()).isEqualTo(2);
    }

    @Test
    void zeroAlignedBinsHaveEdgeAtZero() {
        double[] values = {-1.5, -0.2, 0, 0.3, 2.0};

        HistogramBins bins = HistogramBins.zeroAligned(values, 4);

        assertThat(bins.edges()).containsExactly(-1.75, -0.875, 0.0, 0.875, 1.75, 2.625);
        assertThat(bins.counts()).containsExactly(1, 1, 2, 0, 1);
    }

    @Test
    void positiveValuesStartAtZero() {
        HistogramBins bins = HistogramBins.zeroAligned(new double[] {1, 2, 3, 4}, 4);

        assertThat(bins.edges()).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(bins.counts()).containsExactly(0, 1, 1, 2);
    }

    @Test
    void descendingEdgesAreRejected() {
        assertThatThrownBy(() -> HistogramBins.ofEdges(new double[] {1}, new double[] {0, 2, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("edge 2 is 1.0");
    }

    @Test
    void rangeWidensToIncludeZero() {
        double[] range = HistogramBins.range(new double[] {2, 6}, true);

        assertThat(range).containsExactly(0.0, 6.0);
    }

    @Test
    void nonFiniteValueIsRejected() {
        assertThatThrownBy(() -> HistogramBins.of(new double[] {1, Double.NaN}, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1");
    }

    @Test
    void zeroBinsAreRejected() {
        assertThatThrownBy(() -> HistogramBins.of(new double[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }

    @Test
    void emptyValuesAreRejected() {
        assertThatThrownBy(() -> HistogramBins.of(new double[0], 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
