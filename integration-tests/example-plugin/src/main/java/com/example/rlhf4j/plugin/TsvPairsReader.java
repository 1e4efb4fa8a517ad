package com.example.rlhf4j.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.ReadStats;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;

/** Streams the pairs of one TSV file, one line in memory at a time; see {@link TsvPairsSource}. */
final class TsvPairsReader implements RecordReader<PreferencePair> {

    private static final String HEADER = "prompt\tchosen\trejected";
    private static final String[] FIELDS = {"prompt", "chosen", "rejected"};

    private final Path file;
    private final ReadOptions options;
    private final BufferedReader reader;
    private final ReadStats stats = new ReadStats();
    private long lineNumber;
    private boolean lineTooLong;
    private PreferencePair next;
    private boolean finished;

    TsvPairsReader(Path file, ReadOptions options) throws IOException {
        this.file = file;
        this.options = options;
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    @Override
    public boolean hasNext() {
        while (next == null && !finished) {
            next = readPair();
        }
        return next != null;
    }

    @Override
    public PreferencePair next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No more pairs in " + file);
        }
        PreferencePair pair = next;
        next = null;
        return pair;
    }

    @Override
    public ReadStats stats() {
        return stats;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Reads one line and returns its pair, or null when the line is skipped or the file has ended. */
    private PreferencePair readPair() {
        String line = readLine();
        if (line == null) {
            finished = true;
            return null;
        }
        stats.countRead();

        if (line.isBlank()) {
            stats.countBlank();
            return null;
        }
        if (lineNumber == 1 && line.equals(HEADER)) {
            return null;
        }
        if (lineTooLong) {
            return malformed(null, "the line is longer than the limit of " + options.maxLineChars() + " characters");
        }

        String[] fields = line.split("\t", -1);
        if (fields.length != FIELDS.length) {
            return malformed(null, "expected 3 tab-separated fields (prompt, chosen, rejected), found "
                    + fields.length);
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = unescape(fields[i]);
            if (fields[i].isBlank()) {
                return malformed(FIELDS[i], "the field is empty");
            }
        }

        if (fields[1].equals(fields[2])) {
            stats.countDropped("identical");
            return null;
        }
        stats.countKept();
        return new PreferencePair(Long.toString(lineNumber), List.of(Turn.user(fields[0])), fields[1], fields[2],
                1.0, null);
    }

    /**
     * Reads the next line without its line break, keeping at most {@code maxLineChars + 1}
     * characters so that one huge line cannot exhaust memory. Sets {@link #lineTooLong} when the
     * line was cut.
     */
    private String readLine() {
        try {
            StringBuilder line = new StringBuilder();
            lineTooLong = false;
            int c = reader.read();
            if (c < 0) {
                return null;
            }
            while (c >= 0 && c != '\n') {
                if (line.length() <= options.maxLineChars()) {
                    line.append((char) c);
                } else {
                    lineTooLong = true;
                }
                c = reader.read();
            }
            lineNumber++;
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                line.setLength(end - 1);
            }
            lineTooLong |= line.length() > options.maxLineChars();
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file + " after line " + lineNumber, e);
        }
    }

    private PreferencePair malformed(String field, String problem) {
        DataFormatException error = new DataFormatException(file, lineNumber, field, problem);
        if (options.onError() == ReadOptions.OnError.FAIL) {
            throw error;
        }
        stats.countDropped("malformed");
        return null;
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder text = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char escaped = field.charAt(++i);
                switch (escaped) {
                    case 't' -> text.append('\t');
                    case 'n' -> text.append('\n');
                    case '\\' -> text.append('\\');
                    default -> text.append(c).append(escaped);
                }
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
