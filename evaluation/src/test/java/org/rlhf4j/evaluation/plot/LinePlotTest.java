package org.rlhf4j.evaluation.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

    @TempDir
    Path dir;

    @Test
    void pngDecodesToRequestedSize() throws IOException {
        Path file = dir.resolve("plot.png");

        twoSeries().size(640, 400).build().writePng(file);
        BufferedImage image = Pixels.readPng(file);

        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(400);
    }

    @Test
    void bothSeriesColoursAreDrawnAcrossThePlot() throws IOException {
        Path file = dir.resolve("plot.png");

        twoSeries().build().writePng(file);
        BufferedImage image = Pixels.readPng(file);

        // A legend swatch has under 100 pixels of its colour; each line spans the plot width.
        assertThat(Pixels.count(image, PlotColors.series(0))).isGreaterThan(500);
        assertThat(Pixels.count(image, PlotColors.series(1))).isGreaterThan(500);
    }

    @Test
    void horizontalSeriesCrossesTheMiddleColumn() throws IOException {
        Path file = dir.resolve("flat.png");
        double[] x = {0, 10};

        LinePlot.builder().addSeries("flat", x, new double[] {5, 5}).addSeries("rising", x, new double[] {0, 10})
                .build().writePng(file);
        BufferedImage image = Pixels.readPng(file);
        Rectangle middleColumn = new Rectangle(image.getWidth() / 2, 0, 1, image.getHeight());

        assertThat(Pixels.count(image, PlotColors.series(0), middleColumn)).isPositive();
    }

    @Test
    void nonFiniteValuesAreLeftOut() {
        BufferedImage image = LinePlot.builder()
                .addSeries("loss", Arrays.asList(1.0, 0.8, Double.NaN, 0.5, Double.POSITIVE_INFINITY, 0.3))
                .build()
                .render();

        assertThat(Pixels.count(image, PlotColors.series(0))).isGreaterThan(100);
    }

    @Test
    void allNonFiniteSeriesIsRejected() {
        assertThatThrownBy(() -> LinePlot.builder().addSeries("loss", List.of(Double.NaN)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no series has a finite y value");
    }

    @Test
    void seriesOfUnequalLengthIsRejected() {
        assertThatThrownBy(() -> LinePlot.builder().addSeries("s", new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2 and 1");
    }

    @Test
    void nullValueIsRejected() {
        assertThatThrownBy(() -> LinePlot.builder().addSeries("s", Arrays.asList(1.0, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value 1 of series 's' is null");
    }

    @Test
    void tinyImageIsRejected() {
        assertThatThrownBy(() -> LinePlot.builder().size(100, 400))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100 x 400");
    }

    @Test
    void plotWithoutSeriesIsRejected() {
        assertThatThrownBy(() -> LinePlot.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one series");
    }

    @Test
    void writeLeavesOnlyTheFile() throws IOException {
        twoSeries().build().writePng(dir.resolve("plot.png"));

        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("plot.png");
        }
    }

    private static LinePlot.Builder twoSeries() {
        int n = 200;
        double[] steps = new double[n];
        double[] train = new double[n];
        double[] validation = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i + 1;
            train[i] = 0.7 * Math.exp(-i / 60.0) + 0.1;
            validation[i] = 0.75 * Math.exp(-i / 80.0) + 0.15;
        }
        return LinePlot.builder().title("Loss").xLabel("Step").yLabel("Loss")
                .addSeries("train", steps, train)
                .addSeries("validation", steps, validation);
    }
}
