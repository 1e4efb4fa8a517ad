package org.rlhf4j.algorithms.reward;

import java.io.PrintStream;
import java.util.Objects;

/**
 * A one-line text progress bar such as {@code train [#####.....] 5/10 loss 0.6931}, redrawn in
 * place with a carriage return.
 *
 * <p>{@link #forConsole} draws on standard error only when the JVM has a console
 * ({@code System.console() != null}); otherwise the bar draws nothing, so logs and redirected
 * output stay clean.
 */
public final class ProgressBar implements AutoCloseable {

    private static final int DEFAULT_WIDTH = 30;

    private final PrintStream out;
    private final long total;
    private final String label;
    private final int width;
    private int drawnLength;

    /**
     * Creates a bar that always draws.
     *
     * @param out where to draw
     * @param total the count at which the bar is full, at least 1
     * @param label text before the bar
     * @param width number of characters inside the brackets, at least 1
     */
    public ProgressBar(PrintStream out, long total, String label, int width) {
        if (total < 1 || width < 1) {
            throw new IllegalArgumentException("total and width must be >= 1, got " + total + " and " + width);
        }
        this.out = out;
        this.total = total;
        this.label = Objects.requireNonNull(label, "label");
        this.width = width;
    }

    /**
     * Creates a bar on standard error when a console is attached, and a bar that draws nothing
     * otherwise.
     *
     * @param total the count at which the bar is full, at least 1
     * @param label text before the bar
     * @return the bar
     */
    public static ProgressBar forConsole(long total, String label) {
        return new ProgressBar(System.console() != null ? System.err : null, total, label, DEFAULT_WIDTH);
    }

    /** Tells whether the bar draws anything. */
    public boolean enabled() {
        return out != null;
    }

    /**
     * Redraws the bar.
     *
     * @param done the count reached, clamped to [0, total]
     * @param status text after the counts, for example the last loss; may be empty
     */
    public void update(long done, String status) {
        if (out == null) {
            return;
        }
        String line = render(done, status);
        int padding = Math.max(0, drawnLength - line.length());
        out.print("\r" + line + " ".repeat(padding));
        out.flush();
        drawnLength = line.length();
    }

    /** Erases the bar from the current line so that other output can be printed. */
    public void clear() {
        if (out == null || drawnLength == 0) {
            return;
        }
        out.print("\r" + " ".repeat(drawnLength) + "\r");
        out.flush();
        drawnLength = 0;
    }

    /** Ends the bar's line, leaving the last drawing visible. */
    @Override
    public void close() {
        if (out != null && drawnLength > 0) {
            out.println();
            out.flush();
            drawnLength = 0;
        }
    }

    String render(long done, String status) {
        long clamped = Math.max(0, Math.min(total, done));
        int filled = (int) (clamped * width / total);
        StringBuilder line = new StringBuilder(label).append(" [");
        line.append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
        line.append(clamped).append('/').append(total);
        if (!status.isEmpty()) {
            line.append(' ').append(status);
        }
        return line.toString();
    }
}
