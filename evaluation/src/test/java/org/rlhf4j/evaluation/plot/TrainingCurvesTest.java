package org.rlhf4j.evaluation.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.evaluation.rewardbench.ScoreRecord;

class TrainingCurvesTest {

    @TempDir
    Path dir;

    @Test
    void writesLossAndAccuracyFiles() throws IOException {
        Path out = dir.resolve("plots");

        List<Path> files = TrainingCurves.write(out, List.of(0.69, 0.6, 0.52, 0.47), List.of(0.5, 0.55, 0.7, 0.75));

        assertThat(files).containsExactly(out.resolve("loss.png"), out.resolve("accuracy.png"));
        BufferedImage loss = Pixels.readPng(files.get(0));
        assertThat(loss.getWidth()).isEqualTo(900);
        assertThat(loss.getHeight()).isEqualTo(560);
        assertThat(Pixels.count(loss, PlotColors.series(0))).isGreaterThan(200);
        assertThat(Pixels.count(Pixels.readPng(files.get(1)), PlotColors.series(0))).isGreaterThan(200);
    }

    @Test
    void accuracyAboveOneIsRejected() {
        assertThatThrownBy(() -> TrainingCurves.writeAccuracy(dir, List.of(0.5, 1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step 2")
                .hasMessageContaining("1.5");
    }

    @Test
    void marginHistogramIsWritten() throws IOException {
        List<ScoreRecord> records = List.of(new ScoreRecord("1", "s", 2, 1), new ScoreRecord("2", "s", 0, 1),
                new ScoreRecord("3", "s", 1, 1), new ScoreRecord("4", "s", 3.5, 0.5));

        Path file = MarginHistogram.write(dir, records);
        BufferedImage image = Pixels.readPng(file);

        assertThat(file).isEqualTo(dir.resolve("margins.png"));
        assertThat(Pixels.count(image, PlotColors.BAR)).isGreaterThan(500);
        assertThat(Pixels.count(image, PlotColors.ZERO_MARKER)).isGreaterThan(100);
    }

    @Test
    void marginBinsFollowSquareRootRule() {
        assertThat(MarginHistogram.defaultBins(4)).isEqualTo(10);
        assertThat(MarginHistogram.defaultBins(419)).isEqualTo(21);
        assertThat(MarginHistogram.defaultBins(100_000)).isEqualTo(50);
    }
}
