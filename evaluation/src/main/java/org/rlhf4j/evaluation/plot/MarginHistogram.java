package org.rlhf4j.evaluation.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.rlhf4j.evaluation.rewardbench.ScoreRecord;

/**
 * Writes the histogram of per-pair reward margins (chosen minus rejected) as {@value #FILE_NAME},
 * with a marker at 0. The title gives the number of pairs, the share with a positive margin (the
 * strict accuracy) and the number of ties.
 */
public final class MarginHistogram {

    /** File name of the plot. */
    public static final String FILE_NAME = "margins.png";

    private MarginHistogram() {
    }

    /**
     * Writes the histogram into {@code directory}, which is created when missing. The number of bins
     * is the square root of the number of margins, rounded up and kept from 10 to 50.
     *
     * @param directory the output directory
     * @param margins the margins, chosen minus rejected, all finite, at least one
     * @return the path of the file
     * @throws IllegalArgumentException when {@code margins} is empty or has a non-finite value
     * @throws IOException when the file cannot be written
     */
    public static Path write(Path directory, double[] margins) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        Histogram.builder()
                .values(margins)
                .bins(defaultBins(margins.length))
                .title(title(margins))
                .xLabel("Reward margin (chosen - rejected)")
                .yLabel("Pairs")
                .build()
                .writePng(file);
        return file;
    }

    /**
     * Writes the histogram of the margins of scored pairs into {@code directory}.
     *
     * @return the path of the file
     * @throws IllegalArgumentException when {@code records} is empty
     * @throws IOException when the file cannot be written
     */
    public static Path write(Path directory, Collection<ScoreRecord> records) throws IOException {
        return write(directory, records.stream().mapToDouble(ScoreRecord::margin).toArray());
    }

    /** Returns the default bin count for {@code count} values: ceil(sqrt(count)), kept from 10 to 50. */
    static int defaultBins(int count) {
        return (int) Math.max(10, Math.min(50, Math.ceil(Math.sqrt(count))));
    }

    private static String title(double[] margins) {
        long positive = 0;
        long ties = 0;
        for (double margin : margins) {
            if (margin > 0) {
                positive++;
            } else if (margin == 0) {
                ties++;
            }
        }
        double share = margins.length == 0 ? 0 : 100.0 * positive / margins.length;
        return String.format(Locale.ROOT, "Reward margins: %d pairs, %.1f%% above 0, %d ties",
                margins.length, share, ties);
    }
}
