package org.rlhf4j.evaluation.internal;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.rlhf4j.api.data.DataFormatException;

/**
 * Reads a JSON Lines file, one JSON object per line, and fails at the first bad line with a
 * {@link DataFormatException} that names the file, the 1-based line, the field and the expected
 * form.
 *
 * <p>Each line is decoded as strict UTF-8 on its own. A {@code \r} before the line break and a byte
 * order mark at the start of line 1 are removed. Blank lines are skipped. Files whose name ends in
 * {@code .gz} are decompressed.
 */
public final class JsonLinesInput implements Closeable {

    /** Maximum length of one line in bytes (1 MiB); a longer line is rejected unparsed. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final Pattern GSON_LOCATION = Pattern.compile("(.*) at line \\d+ column (\\d+) path .*");

    private final Path file;
    private final InputStream in;
    private final ByteArrayOutputStream lineBytes = new ByteArrayOutputStream();
    private long lineNumber;

    private JsonLinesInput(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /**
     * Opens a JSON Lines file, plain or gzip-compressed.
     *
     * @param file the file
     * @return an input that the caller must close
     * @throws IOException when the file cannot be opened
     */
    public static JsonLinesInput open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        if (file.getFileName().toString().endsWith(".gz")) {
            try {
                raw = new BufferedInputStream(new GZIPInputStream(raw));
            } catch (IOException e) {
                raw.close();
                throw new IOException("Failed to open " + file + " as gzip: " + e.getMessage(), e);
            }
        }
        return new JsonLinesInput(file, raw);
    }

    /** Returns the file being read. */
    public Path file() {
        return file;
    }

    /** Returns the 1-based number of the line read last, or 0 before the first. */
    public long lineNumber() {
        return lineNumber;
    }

    /**
     * Reads the next non-blank line as one JSON object.
     *
     * @param fieldNames the names of the fields to keep
     * @return the fields, or null at the end of the file
     * @throws DataFormatException when the line is not valid UTF-8, not one JSON object, too long,
     *     or has a duplicate key
     * @throws IOException when the file cannot be read
     */
    public JsonFields next(Set<String> fieldNames) throws IOException {
        String text;
        do {
            text = nextLine();
            if (text == null) {
                return null;
            }
        } while (text.isBlank());
        try {
            return parse(text, fieldNames);
        } catch (FieldProblem problem) {
            throw error(problem);
        }
    }

    /** Returns an exception for a bad field of the line read last. */
    public DataFormatException error(FieldProblem problem) {
        return new DataFormatException(file, lineNumber, problem.field(), problem.getMessage());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private String nextLine() throws IOException {
        lineBytes.reset();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        lineNumber++;
        while (b >= 0 && b != '\n') {
            if (lineBytes.size() >= MAX_LINE_BYTES) {
                throw new DataFormatException(file, lineNumber, null,
                        "line is longer than " + MAX_LINE_BYTES + " bytes; expected one short JSON object per line");
            }
            lineBytes.write(b);
            b = in.read();
        }
        String text = decode(lineBytes.toByteArray());
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (lineNumber == 1 && !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        return text;
    }

    private String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more UTF-16 chars than it has bytes.
        CharBuffer output = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(input, output, true);
        if (!result.isError()) {
            result = decoder.flush(output);
        }
        if (result.isError()) {
            int position = input.position();
            String found = position < bytes.length
                    ? String.format("byte 0x%02X", bytes[position] & 0xff)
                    : "end of line";
            throw new DataFormatException(file, lineNumber, null, "invalid UTF-8: unexpected " + found
                    + " at byte " + (position + 1) + " of the line; expected UTF-8 text");
        }
        return output.flip().toString();
    }

    private static JsonFields parse(String text, Set<String> fieldNames) {
        JsonReader reader = JsonFields.strictReader(new StringReader(text));
        try {
            JsonFields fields = JsonFields.read(reader, fieldNames);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new FieldProblem(null, "expected nothing after the JSON object");
            }
            return fields;
        } catch (IOException e) {
            throw new FieldProblem(null, syntaxMessage(e) + "; expected one JSON object per line");
        }
    }

    /** Rewrites a Gson syntax error as "invalid JSON at column C: reason", dropping Gson's line 1. */
    private static String syntaxMessage(IOException error) {
        String message = String.valueOf(error.getMessage()).lines().findFirst().orElse("");
        Matcher matcher = GSON_LOCATION.matcher(message);
        if (!matcher.matches()) {
            return "invalid JSON: " + message;
        }
        String reason = matcher.group(1);
        if (reason.startsWith("Use JsonReader.setStrictness")) {
            reason = "syntax that strict JSON does not allow";
        }
        return "invalid JSON at column " + matcher.group(2) + ": " + reason;
    }
}
