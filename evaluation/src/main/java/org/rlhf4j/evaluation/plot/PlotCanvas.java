package org.rlhf4j.evaluation.plot;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * An image with a title, two labelled axes with ticks and grid lines, and a plot area that maps data
 * coordinates to pixels. The margins are sized from the font metrics so that no label is clipped.
 *
 * <p>Draws on a {@link BufferedImage}, which needs no display; nothing global is set.
 */
final class PlotCanvas {

    /** Smallest and largest accepted image side in pixels. */
    static final int MIN_SIDE = 200;
    static final int MAX_SIDE = 8000;

    private final BufferedImage image;
    private final Graphics2D graphics;
    private final float scale;
    private final Font titleFont;
    private final Font labelFont;
    private final Font tickFont;
    private final Axis x;
    private final Axis y;
    private final Rectangle area;

    /**
     * One axis: the data range shown and the ticks inside it.
     *
     * @param label the axis label
     * @param min the data value at the start of the axis
     * @param max the data value at the end of the axis
     * @param ticks the tick positions and labels
     */
    record Axis(String label, double min, double max, AxisTicks ticks) {
        Axis {
            if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("axis '" + label + "' needs finite min < max, got [" + min + ", "
                        + max + "]");
            }
        }
    }

    PlotCanvas(int width, int height, String title, Axis x, Axis y) {
        checkSize(width, height);
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        this.graphics = image.createGraphics();
        this.scale = Math.max(0.6f, Math.min(3f, Math.min(width / 900f, height / 560f)));
        this.titleFont = new Font(Font.SANS_SERIF, Font.BOLD, Math.round(18 * scale));
        this.labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(15 * scale));
        this.tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(13 * scale));
        this.x = x;
        this.y = y;
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        this.area = layout(title);
        drawFrame(title);
    }

    /** Returns the graphics to draw data with; its clip is not set. */
    Graphics2D graphics() {
        return graphics;
    }

    /** Returns the size factor of fonts and strokes relative to a 900 x 560 image. */
    float scale() {
        return scale;
    }

    /** Returns the plot area in pixels. */
    Rectangle area() {
        return new Rectangle(area);
    }

    /** Returns the font for legends and notes. */
    Font noteFont() {
        return tickFont;
    }

    /** Maps a data x value to a horizontal pixel position. */
    double toPixelX(double value) {
        return area.x + (value - x.min()) / (x.max() - x.min()) * area.width;
    }

    /** Maps a data y value to a vertical pixel position. */
    double toPixelY(double value) {
        return area.y + area.height - (value - y.min()) / (y.max() - y.min()) * area.height;
    }

    /** Redraws the axis box over the data and returns the finished image. */
    BufferedImage finish() {
        graphics.setClip(null);
        graphics.setColor(PlotColors.AXIS);
        graphics.setStroke(new BasicStroke(1.2f * scale));
        graphics.draw(area);
        graphics.dispose();
        return image;
    }

    /**
     * Checks an image size.
     *
     * @throws IllegalArgumentException when a side is outside {@value #MIN_SIDE} to {@value #MAX_SIDE}
     */
    static void checkSize(int width, int height) {
        if (width < MIN_SIDE || width > MAX_SIDE || height < MIN_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("image sides must be from " + MIN_SIDE + " to " + MAX_SIDE
                    + " pixels, got " + width + " x " + height);
        }
    }

    private Rectangle layout(String title) {
        int padding = Math.round(14 * scale);
        int tickLength = Math.round(5 * scale);
        FontMetrics ticks = graphics.getFontMetrics(tickFont);
        FontMetrics labels = graphics.getFontMetrics(labelFont);
        FontMetrics titles = graphics.getFontMetrics(titleFont);
        int widestYTick = 0;
        for (double value : y.ticks().values()) {
            widestYTick = Math.max(widestYTick, ticks.stringWidth(y.ticks().label(value)));
        }
        int halfXTick = maxXTickWidth(ticks) / 2;
        int top = padding + (title.isEmpty() ? 0 : titles.getHeight() + padding / 2);
        int left = padding + labels.getHeight() + padding / 2 + widestYTick + tickLength + padding / 2;
        left = Math.max(left, padding + halfXTick);
        int bottom = padding + labels.getHeight() + padding / 2 + ticks.getHeight() + tickLength;
        int right = Math.max(padding * 2, halfXTick + padding / 2);
        int width = image.getWidth() - left - right;
        int height = image.getHeight() - top - bottom;
        if (width < 50 || height < 50) {
            throw new IllegalArgumentException("image " + image.getWidth() + " x " + image.getHeight()
                    + " is too small for the labels; make it larger");
        }
        return new Rectangle(left, top, width, height);
    }

    private int maxXTickWidth(FontMetrics metrics) {
        int widest = 0;
        for (double value : x.ticks().values()) {
            widest = Math.max(widest, metrics.stringWidth(x.ticks().label(value)));
        }
        return widest;
    }

    private void drawFrame(String title) {
        graphics.setColor(PlotColors.BACKGROUND);
        graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
        drawGridAndTicks();
        drawTitle(title);
        drawAxisLabels();
    }

    private void drawGridAndTicks() {
        int tickLength = Math.round(5 * scale);
        graphics.setFont(tickFont);
        FontMetrics metrics = graphics.getFontMetrics();
        for (double value : x.ticks().values()) {
            int px = (int) Math.round(toPixelX(value));
            drawLine(PlotColors.GRID, 1f, px, area.y, px, area.y + area.height);
            drawLine(PlotColors.AXIS, 1.2f, px, area.y + area.height, px, area.y + area.height + tickLength);
            String label = x.ticks().label(value);
            graphics.setColor(PlotColors.TEXT);
            graphics.drawString(label, px - metrics.stringWidth(label) / 2,
                    area.y + area.height + tickLength + metrics.getAscent());
        }
        for (double value : y.ticks().values()) {
            int py = (int) Math.round(toPixelY(value));
            drawLine(PlotColors.GRID, 1f, area.x, py, area.x + area.width, py);
            drawLine(PlotColors.AXIS, 1.2f, area.x - tickLength, py, area.x, py);
            String label = y.ticks().label(value);
            graphics.setColor(PlotColors.TEXT);
            graphics.drawString(label, area.x - tickLength - Math.round(3 * scale) - metrics.stringWidth(label),
                    py + (metrics.getAscent() - metrics.getDescent()) / 2);
        }
    }

    private void drawTitle(String title) {
        if (title.isEmpty()) {
            return;
        }
        graphics.setFont(titleFont);
        FontMetrics metrics = graphics.getFontMetrics();
        graphics.setColor(PlotColors.TEXT);
        int textX = Math.max(0, area.x + (area.width - metrics.stringWidth(title)) / 2);
        graphics.drawString(title, textX, Math.round(14 * scale) + metrics.getAscent());
    }

    private void drawAxisLabels() {
        graphics.setFont(labelFont);
        FontMetrics metrics = graphics.getFontMetrics();
        graphics.setColor(PlotColors.TEXT);
        int padding = Math.round(14 * scale);
        int xLabelWidth = metrics.stringWidth(x.label());
        graphics.drawString(x.label(), area.x + (area.width - xLabelWidth) / 2,
                image.getHeight() - padding - metrics.getDescent());
        AffineTransform saved = graphics.getTransform();
        int yLabelWidth = metrics.stringWidth(y.label());
        graphics.translate(padding + metrics.getAscent(), area.y + (area.height + yLabelWidth) / 2.0);
        graphics.rotate(-Math.PI / 2);
        graphics.drawString(y.label(), 0, 0);
        graphics.setTransform(saved);
    }

    private void drawLine(java.awt.Color color, float width, int x1, int y1, int x2, int y2) {
        graphics.setColor(color);
        graphics.setStroke(new BasicStroke(width * scale));
        graphics.drawLine(x1, y1, x2, y2);
    }
}
