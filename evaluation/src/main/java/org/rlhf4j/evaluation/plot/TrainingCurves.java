package org.rlhf4j.evaluation.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the loss and accuracy curves of a training run as {@value #LOSS_FILE} and
 * {@value #ACCURACY_FILE}. The x axis is the step, numbered from 1 in list order.
 */
public final class TrainingCurves {

    /** File name of the loss plot. */
    public static final String LOSS_FILE = "loss.png";

    /** File name of the accuracy plot. */
    public static final String ACCURACY_FILE = "accuracy.png";

    private TrainingCurves() {
    }

    /**
     * Writes both plots into {@code directory}, which is created when missing.
     *
     * @param directory the output directory
     * @param loss the loss per step; NaN or infinite values are left out as gaps and counted in the
     *     legend
     * @param accuracy the accuracy per step, each from 0 to 1 (or NaN, left out); may have another
     *     length than {@code loss}
     * @return the paths of {@value #LOSS_FILE} and {@value #ACCURACY_FILE}, in that order
     * @throws IllegalArgumentException when a list is empty or contains null, or an accuracy is outside
     *     [0, 1]
     * @throws IOException when a file cannot be written
     */
    public static List<Path> write(Path directory, List<? extends Number> loss, List<? extends Number> accuracy)
            throws IOException {
        return write(directory, 1, loss, accuracy);
    }

    /**
     * Writes both plots with step numbers that start at {@code firstStep}, as for a resumed run.
     *
     * @return the paths of {@value #LOSS_FILE} and {@value #ACCURACY_FILE}, in that order
     * @throws IOException when a file cannot be written
     */
    public static List<Path> write(Path directory, long firstStep, List<? extends Number> loss,
            List<? extends Number> accuracy) throws IOException {
        return List.of(writeLoss(directory, firstStep, loss), writeAccuracy(directory, firstStep, accuracy));
    }

    /**
     * Writes the loss plot, {@value #LOSS_FILE}, into {@code directory}.
     *
     * @return the path of the file
     * @throws IllegalArgumentException when {@code loss} is empty or contains null
     * @throws IOException when the file cannot be written
     */
    public static Path writeLoss(Path directory, List<? extends Number> loss) throws IOException {
        return writeLoss(directory, 1, loss);
    }

    /** Writes the loss plot with step numbers that start at {@code firstStep}. */
    public static Path writeLoss(Path directory, long firstStep, List<? extends Number> loss) throws IOException {
        Path file = directory.resolve(LOSS_FILE);
        LinePlot.builder()
                .title("Training loss")
                .xLabel("Step")
                .yLabel("Loss")
                .addSeries("loss", firstStep, loss)
                .build()
                .writePng(file);
        return file;
    }

    /**
     * Writes the accuracy plot, {@value #ACCURACY_FILE}, into {@code directory}, with the y axis
     * fixed to [0, 1].
     *
     * @return the path of the file
     * @throws IllegalArgumentException when {@code accuracy} is empty or contains null, or a finite
     *     value is outside [0, 1]
     * @throws IOException when the file cannot be written
     */
    public static Path writeAccuracy(Path directory, List<? extends Number> accuracy) throws IOException {
        return writeAccuracy(directory, 1, accuracy);
    }

    /** Writes the accuracy plot with step numbers that start at {@code firstStep}. */
    public static Path writeAccuracy(Path directory, long firstStep, List<? extends Number> accuracy)
            throws IOException {
        for (int i = 0; i < accuracy.size(); i++) {
            Number value = accuracy.get(i);
            if (value != null && (value.doubleValue() < 0 || value.doubleValue() > 1)) {
                throw new IllegalArgumentException("accuracy at step " + (i + 1) + " must be from 0 to 1, got "
                        + value);
            }
        }
        Path file = directory.resolve(ACCURACY_FILE);
        LinePlot.builder()
                .title("Training accuracy (chosen scored above rejected)")
                .xLabel("Step")
                .yLabel("Accuracy")
                .yRange(0, 1)
                .addSeries("accuracy", firstStep, accuracy)
                .build()
                .writePng(file);
        return file;
    }
}
