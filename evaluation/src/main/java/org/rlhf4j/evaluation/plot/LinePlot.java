package org.rlhf4j.evaluation.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line chart of one or more series of (x, y) points, with a title, axis labels, ticks, grid lines
 * and a legend, rendered to a PNG file.
 *
 * <p>Usage:
 * <pre>{@code
 * LinePlot.builder()
 *         .title("Training loss").xLabel("Step").yLabel("Loss")
 *         .addSeries("train", steps, losses)
 *         .build()
 *         .writePng(Path.of("loss.png"));
 * }</pre>
 *
 * <p>A point whose y value is NaN or infinite is left out and breaks the line there. The legend
 * entry of its series gives the number left out, and a WARN line is logged. Series are drawn in
 * the colours of {@link PlotColors#SERIES}, in order, and series with at most
 * {@value #MAX_MARKED_POINTS} points also get a dot per point. The legend goes to the corner of
 * the plot area that covers the fewest points.
 */
public final class LinePlot {

    /** Series with at most this many points get a dot at each point. */
    public static final int MAX_MARKED_POINTS = 60;

    private static final Logger logger = LoggerFactory.getLogger(LinePlot.class);

    private final int width;
    private final int height;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double yMin;
    private final double yMax;
    private final List<Series> series;

    /** One named series; y values that are not finite are gaps. */
    private record Series(String name, double[] x, double[] y, int omitted) {
        boolean isDrawn(int i) {
            return Double.isFinite(y[i]);
        }
    }

    private LinePlot(Builder builder) {
        this.width = builder.width;
        this.height = builder.height;
        this.title = builder.title;
        this.xLabel = builder.xLabel;
        this.yLabel = builder.yLabel;
        this.yMin = builder.yMin;
        this.yMax = builder.yMax;
        this.series = List.copyOf(builder.series);
    }

    /** Returns a builder with a 900 x 560 image, no title and empty axis labels. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Draws the chart.
     *
     * @return a new RGB image of the configured size
     */
    public BufferedImage render() {
        PlotCanvas canvas = new PlotCanvas(width, height, title, xAxis(), yAxis());
        Graphics2D graphics = canvas.graphics();
        graphics.setClip(canvas.area());
        for (int i = 0; i < series.size(); i++) {
            drawSeries(canvas, series.get(i), PlotColors.series(i));
        }
        graphics.setClip(null);
        drawLegend(canvas);
        return canvas.finish();
    }

    /**
     * Draws the chart and writes it as a PNG file, atomically. Missing parent directories are
     * created.
     *
     * @param file the file to create or replace
     * @throws IOException when the file cannot be written
     */
    public void writePng(Path file) throws IOException {
        PngFiles.write(render(), file);
    }

    private PlotCanvas.Axis xAxis() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                min = Math.min(min, s.x()[i]);
                max = Math.max(max, s.x()[i]);
            }
        }
        if (min == max) {
            min -= 0.5;
            max += 0.5;
        }
        AxisTicks ticks = AxisTicks.nice(min, max, 8, allWholeX());
        double margin = (max - min) * 0.02;
        return new PlotCanvas.Axis(xLabel, min - margin, max + margin, ticks);
    }

    /** Tells whether every x value is a whole number, such as a step, so that ticks need no fractions. */
    private boolean allWholeX() {
        return series.stream().flatMapToDouble(s -> Arrays.stream(s.x())).allMatch(v -> v == Math.rint(v));
    }

    private PlotCanvas.Axis yAxis() {
        double min = yMin;
        double max = yMax;
        if (Double.isNaN(min)) {
            min = Double.POSITIVE_INFINITY;
            max = Double.NEGATIVE_INFINITY;
            for (Series s : series) {
                for (int i = 0; i < s.y().length; i++) {
                    if (s.isDrawn(i)) {
                        min = Math.min(min, s.y()[i]);
                        max = Math.max(max, s.y()[i]);
                    }
                }
            }
            if (min == max) {
                double half = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= half;
                max += half;
            }
        }
        AxisTicks ticks = AxisTicks.nice(min, max, 6, false);
        double margin = (max - min) * 0.04;
        return new PlotCanvas.Axis(yLabel, min - margin, max + margin, ticks);
    }

    private static void drawSeries(PlotCanvas canvas, Series s, Color color) {
        Graphics2D graphics = canvas.graphics();
        float scale = canvas.scale();
        Path2D.Double line = new Path2D.Double();
        boolean penDown = false;
        for (int i = 0; i < s.x().length; i++) {
            if (!s.isDrawn(i)) {
                penDown = false;
                continue;
            }
            double px = canvas.toPixelX(s.x()[i]);
            double py = canvas.toPixelY(s.y()[i]);
            if (penDown) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                penDown = true;
            }
        }
        graphics.setColor(color);
        graphics.setStroke(new BasicStroke(2.2f * scale, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        graphics.draw(line);
        if (s.x().length <= MAX_MARKED_POINTS) {
            double radius = 3.2 * scale;
            for (int i = 0; i < s.x().length; i++) {
                if (s.isDrawn(i)) {
                    graphics.fill(new Ellipse2D.Double(canvas.toPixelX(s.x()[i]) - radius,
                            canvas.toPixelY(s.y()[i]) - radius, 2 * radius, 2 * radius));
                }
            }
        }
    }

    private void drawLegend(PlotCanvas canvas) {
        Graphics2D graphics = canvas.graphics();
        float scale = canvas.scale();
        graphics.setFont(canvas.noteFont());
        FontMetrics metrics = graphics.getFontMetrics();
        int padding = Math.round(8 * scale);
        int swatch = Math.round(26 * scale);
        int lineHeight = metrics.getHeight() + Math.round(2 * scale);
        int textWidth = 0;
        for (Series s : series) {
            textWidth = Math.max(textWidth, metrics.stringWidth(legendText(s)));
        }
        int width = padding * 3 + swatch + textWidth;
        int height = padding * 2 + lineHeight * series.size();
        Rectangle box = legendBox(canvas, width, height, Math.round(10 * scale));
        graphics.setColor(new Color(255, 255, 255, 235));
        graphics.fill(box);
        graphics.setColor(PlotColors.GRID.darker());
        graphics.setStroke(new BasicStroke(scale));
        graphics.draw(box);
        for (int i = 0; i < series.size(); i++) {
            int rowY = box.y + padding + lineHeight * i + lineHeight / 2;
            graphics.setColor(PlotColors.series(i));
            graphics.setStroke(new BasicStroke(2.6f * scale, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
            graphics.drawLine(box.x + padding, rowY, box.x + padding + swatch, rowY);
            graphics.setColor(PlotColors.TEXT);
            graphics.drawString(legendText(series.get(i)), box.x + padding * 2 + swatch,
                    rowY + (metrics.getAscent() - metrics.getDescent()) / 2);
        }
    }

    private static String legendText(Series s) {
        if (s.omitted() == 0) {
            return s.name();
        }
        return s.name() + " (" + s.omitted() + (s.omitted() == 1 ? " non-finite point" : " non-finite points")
                + " left out)";
    }

    /** Picks the corner of the plot area where the legend covers the fewest points. */
    private Rectangle legendBox(PlotCanvas canvas, int width, int height, int inset) {
        Rectangle area = canvas.area();
        int left = area.x + inset;
        int right = area.x + area.width - inset - width;
        int top = area.y + inset;
        int bottom = area.y + area.height - inset - height;
        Rectangle[] corners = {
            new Rectangle(right, top, width, height), new Rectangle(right, bottom, width, height),
            new Rectangle(left, top, width, height), new Rectangle(left, bottom, width, height)};
        Rectangle best = corners[0];
        long fewest = Long.MAX_VALUE;
        for (Rectangle corner : corners) {
            long covered = coveredPoints(canvas, corner);
            if (covered < fewest) {
                fewest = covered;
                best = corner;
            }
        }
        return best;
    }

    private long coveredPoints(PlotCanvas canvas, Rectangle box) {
        long covered = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (s.isDrawn(i) && box.contains(canvas.toPixelX(s.x()[i]), canvas.toPixelY(s.y()[i]))) {
                    covered++;
                }
            }
        }
        return covered;
    }

    /** Settings of a {@link LinePlot}. */
    public static final class Builder {
        private int width = 900;
        private int height = 560;
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private double yMin = Double.NaN;
        private double yMax = Double.NaN;
        private final List<Series> series = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the image size in pixels; default 900 x 560. Fonts and strokes scale with it.
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

        /** Sets the label of the vertical axis; default empty. */
        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "yLabel");
            return this;
        }

        /**
         * Fixes the vertical range instead of fitting it to the data; points outside it are clipped.
         *
         * @throws IllegalArgumentException unless both are finite and {@code min < max}
         */
        public Builder yRange(double min, double max) {
            if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("y range must be finite with min < max, got [" + min + ", " + max
                        + "]");
            }
            this.yMin = min;
            this.yMax = max;
            return this;
        }

        /**
         * Adds a series.
         *
         * @param name the legend entry
         * @param x the x values, all finite
         * @param y the y values, as many as x; non-finite values are left out as gaps
         * @throws IllegalArgumentException when the arrays are empty or differ in length, or an x
         *     value is not finite
         */
        public Builder addSeries(String name, double[] x, double[] y) {
            Objects.requireNonNull(name, "name");
            if (x.length == 0 || x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "' needs as many x as y values, at least one;"
                        + " got " + x.length + " and " + y.length);
            }
            int omitted = 0;
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i])) {
                    throw new IllegalArgumentException("x value " + i + " of series '" + name + "' must be finite, got "
                            + x[i]);
                }
                if (!Double.isFinite(y[i])) {
                    omitted++;
                }
            }
            if (omitted > 0) {
                logger.warn("Series '{}' has {} non-finite y values; they are left out of the plot", name, omitted);
            }
            series.add(new Series(name, x.clone(), y.clone(), omitted));
            return this;
        }

        /**
         * Adds a series whose x values are 1, 2, ..., {@code y.size()}.
         *
         * @throws IllegalArgumentException when {@code y} is empty or contains null
         */
        public Builder addSeries(String name, List<? extends Number> y) {
            return addSeries(name, 1, y);
        }

        /**
         * Adds a series whose x values are {@code firstX}, {@code firstX + 1}, and so on, for example
         * the optimizer steps of a resumed run.
         *
         * @throws IllegalArgumentException when {@code y} is empty or contains null
         */
        public Builder addSeries(String name, long firstX, List<? extends Number> y) {
            double[] xs = new double[y.size()];
            double[] ys = new double[y.size()];
            for (int i = 0; i < ys.length; i++) {
                Number value = y.get(i);
                if (value == null) {
                    throw new IllegalArgumentException("value " + i + " of series '" + name + "' is null");
                }
                xs[i] = firstX + i;
                ys[i] = value.doubleValue();
            }
            return addSeries(name, xs, ys);
        }

        /**
         * Creates the plot.
         *
         * @throws IllegalArgumentException when there is no series, or no series has a finite point
         *     and no y range is fixed
         */
        public LinePlot build() {
            if (series.isEmpty()) {
                throw new IllegalArgumentException("a line plot needs at least one series");
            }
            boolean anyDrawn = series.stream().anyMatch(s -> s.omitted() < s.y().length);
            if (!anyDrawn && Double.isNaN(yMin)) {
                throw new IllegalArgumentException("no series has a finite y value, so there is nothing to plot");
            }
            return new LinePlot(this);
        }
    }
}
