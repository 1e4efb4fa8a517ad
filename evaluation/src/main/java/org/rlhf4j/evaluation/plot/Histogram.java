package org.rlhf4j.evaluation.plot;

import java.awt.BasicStroke;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A histogram of values in equal-width bins with a dashed vertical marker at 0, rendered to a PNG
 * file.
 *
 * <p>The bins span the values' range widened to include 0, and 0 is a bin edge, so the marker is
 * always inside the plot and no bar mixes values on both sides of it;
 * {@link HistogramBins#zeroAligned(double[], int)} computes the counts.
 *
 * <p>Usage:
 * <pre>{@code
 * Histogram.builder().values(margins).bins(40).title("Reward margins").xLabel("chosen - rejected")
 *         .build()
 *         .writePng(Path.of("margins.png"));
 * }</pre>
 */
public final class Histogram {

    private final int width;
    private final int height;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final HistogramBins bins;

    private Histogram(Builder builder) {
        this.width = builder.width;
        this.height = builder.height;
        this.title = builder.title;
        this.xLabel = builder.xLabel;
        this.yLabel = builder.yLabel;
        this.bins = HistogramBins.zeroAligned(builder.values, builder.binCount);
    }

    /** Returns a builder with a 900 x 560 image, 30 bins, y label "Count" and no values. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the bins and counts that the histogram draws. */
    public HistogramBins bins() {
        return bins;
    }

    /**
     * Draws the histogram.
     *
     * @return a new RGB image of the configured size
     */
    public BufferedImage render() {
        double[] edges = bins.edges();
        double min = edges[0];
        double max = edges[edges.length - 1];
        PlotCanvas.Axis x = new PlotCanvas.Axis(xLabel, min, max, AxisTicks.nice(min, max, 8, false));
        double top = Math.max(1, bins.maxCount()) * 1.06;
        PlotCanvas.Axis y = new PlotCanvas.Axis(yLabel, 0, top, AxisTicks.nice(0, top, 6, true));
        PlotCanvas canvas = new PlotCanvas(width, height, title, x, y);
        drawBars(canvas, edges);
        drawZeroMarker(canvas);
        return canvas.finish();
    }

    /**
     * Draws the histogram and writes it as a PNG file, atomically. Missing parent directories are
     * created.
     *
     * @param file the file to create or replace
     * @throws IOException when the file cannot be written
     */
    public void writePng(Path file) throws IOException {
        PngFiles.write(render(), file);
    }

    private void drawBars(PlotCanvas canvas, double[] edges) {
        Graphics2D graphics = canvas.graphics();
        long[] counts = bins.counts();
        double gap = Math.max(0.5, 0.6 * canvas.scale());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double left = canvas.toPixelX(edges[i]) + gap / 2;
            double right = canvas.toPixelX(edges[i + 1]) - gap / 2;
            double topY = canvas.toPixelY(counts[i]);
            double baseY = canvas.toPixelY(0);
            graphics.setColor(PlotColors.BAR);
            graphics.fill(new Rectangle2D.Double(left, topY, Math.max(1, right - left), baseY - topY));
        }
    }

    private static void drawZeroMarker(PlotCanvas canvas) {
        Graphics2D graphics = canvas.graphics();
        Rectangle area = canvas.area();
        float scale = canvas.scale();
        double px = canvas.toPixelX(0);
        graphics.setColor(PlotColors.ZERO_MARKER);
        graphics.setStroke(new BasicStroke(2.2f * scale, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {8 * scale, 5 * scale}, 0f));
        graphics.draw(new Line2D.Double(px, area.y, px, area.y + area.height));
        graphics.setFont(canvas.noteFont());
        FontMetrics metrics = graphics.getFontMetrics();
        int textX = (int) Math.round(px + 5 * scale);
        if (textX + metrics.stringWidth("0") > area.x + area.width) {
            textX = (int) Math.round(px - 5 * scale) - metrics.stringWidth("0");
        }
        graphics.drawString("0", textX, area.y + metrics.getAscent() + Math.round(4 * scale));
    }

    /** Settings of a {@link Histogram}. */
    public static final class Builder {
        private int width = 900;
        private int height = 560;
        private int binCount = 30;
        private String title = "";
        private String xLabel = "";
        private String yLabel = "Count";
        private double[] values;

        private Builder() {
        }

        /** Sets the values to count; all must be finite, at least one. */
        public Builder values(double[] values) {
            this.values = values.clone();
            return this;
        }

        /**
         * Sets the number of bins; default 30. Aligning the bins to 0 can add one at each end.
         *
         * @throws IllegalArgumentException when {@code bins} is below 1 or above 1000
         */
        public Builder bins(int bins) {
            if (bins < 1 || bins > 1000) {
                throw new IllegalArgumentException("bins must be from 1 to 1000, got " + bins);
            }
            this.binCount = bins;
            return this;
        }

        /**
         * Sets the image size in pixels; default 900 x 560.
         *
         * @throws IllegalArgumentException when a side is outside 200 to 8000
         */
        public Builder size(int width, int height) {
            PlotCanvas.checkSize(width, height);
            this.width = width;
            this.height = height;
            return this;
        }

        /** Sets the title above the chart; default none. */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /** Sets the label of the horizontal axis; default empty. */
        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label, "xLabel");
            return this;
        }

        /** Sets the label of the vertical axis; default "Count". */
        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "yLabel");
            return this;
        }

        /**
         * Creates the histogram and counts the values.
         *
         * @throws IllegalArgumentException when no values were set, or one is not finite
         */
        public Histogram build() {
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException("a histogram needs at least one value");
            }
            return new Histogram(this);
        }
    }
}
