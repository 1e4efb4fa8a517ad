package org.rlhf4j.evaluation.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramTest {

    @TempDir
    Path dir;

    @Test
    void pngDecodesToRequestedSize() throws IOException {
        Path file = dir.resolve("hist.png");

        Histogram.builder().values(new double[] {-1, 0.2, 0.3, 2}).size(500, 300).build().writePng(file);
        BufferedImage image = Pixels.readPng(file);

        assertThat(image.getWidth()).isEqualTo(500);
        assertThat(image.getHeight()).isEqualTo(300);
    }

    @Test
    void barsAndZeroMarkerAreDrawn() throws IOException {
        Path file = dir.resolve("hist.png");

        Histogram.builder().values(new double[] {-1, 0.2, 0.3, 2, 2.5}).bins(7).build().writePng(file);
        BufferedImage image = Pixels.readPng(file);

        assertThat(Pixels.count(image, PlotColors.BAR)).isGreaterThan(1000);
        assertThat(Pixels.count(image, PlotColors.ZERO_MARKER)).isGreaterThan(100);
    }

    @Test
    void rangeIncludesZeroForPositiveValues() {
        Histogram histogram = Histogram.builder().values(new double[] {1, 2, 3, 4}).bins(4).build();

        assertThat(histogram.bins().edges()).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(histogram.bins().counts()).containsExactly(0, 1, 1, 2);
    }

    @Test
    void missingValuesAreRejected() {
        assertThatThrownBy(() -> Histogram.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one value");
    }
}
