package org.rlhf4j.data.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files, decompressing gzip files. */
public final class DataFiles {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private DataFiles() {
    }

    /**
     * Opens a file for reading. It is decompressed when its name ends in {@code .gz} or when it
     * starts with the gzip magic bytes {@code 1f 8b}.
     *
     * @param file the file
     * @return a buffered stream of the (decompressed) bytes
     * @throws IOException when the file cannot be opened, or is named {@code .gz} but is not gzip
     */
    public static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
            if (isGzipName(file) || startsWithGzipMagic(buffered)) {
                return new BufferedInputStream(new GZIPInputStream(buffered, BUFFER_BYTES), BUFFER_BYTES);
            }
            return buffered;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static boolean isGzipName(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2;
    }
}
