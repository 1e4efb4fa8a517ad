package org.rlhf4j.evaluation.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.rlhf4j.evaluation.internal.AtomicFiles;

/** Writes images as PNG files, atomically and without ImageIO's disk cache. */
final class PngFiles {

    private PngFiles() {
    }

    /**
     * Writes {@code image} as a PNG file, atomically.
     *
     * @throws IOException when no PNG writer is installed or the file cannot be written
     */
    static void write(BufferedImage image, Path file) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("No PNG image writer is installed in this Java runtime");
        }
        ImageWriter writer = writers.next();
        try {
            AtomicFiles.write(file, out -> {
                try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                    writer.setOutput(stream);
                    writer.write(image);
                }
            });
        } finally {
            writer.dispose();
        }
    }
}
