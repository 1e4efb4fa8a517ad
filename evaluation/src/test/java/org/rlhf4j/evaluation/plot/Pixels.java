package org.rlhf4j.evaluation.plot;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Helpers that decode PNG files and count pixels of one colour. */
final class Pixels {

    private Pixels() {
    }

    /** Decodes a PNG file with ImageIO; fails when ImageIO cannot read it. */
    static BufferedImage readPng(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("ImageIO found no decoder for " + file);
        }
        return image;
    }

    /** Counts the pixels of exactly {@code color} inside {@code region}. */
    static long count(BufferedImage image, Color color, Rectangle region) {
        long count = 0;
        int rgb = color.getRGB() & 0xffffff;
        for (int y = region.y; y < region.y + region.height; y++) {
            for (int x = region.x; x < region.x + region.width; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Counts the pixels of exactly {@code color} in the whole image. */
    static long count(BufferedImage image, Color color) {
        return count(image, color, new Rectangle(0, 0, image.getWidth(), image.getHeight()));
    }
}
