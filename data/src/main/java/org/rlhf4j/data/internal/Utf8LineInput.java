package org.rlhf4j.data.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into lines at {@code \n} and decodes each line as strict UTF-8 on its own,
 * so one line with invalid bytes does not affect the next.
 *
 * <p>Memory stays bounded: bytes are read in chunks of {@value #CHUNK_BYTES}, and a line that grows
 * past the character limit is dropped as it is read; the rest of it is skipped without decoding.
 * A {@code \r} before the line break is removed.
 */
public final class Utf8LineInput implements Closeable {

    /** Size of the byte and character buffers. */
    static final int CHUNK_BYTES = 64 * 1024;

    private static final byte NEWLINE = '\n';

    private final InputStream in;
    private final int maxChars;
    private final byte[] bytes = new byte[CHUNK_BYTES];
    private final CharBuffer chars = CharBuffer.allocate(CHUNK_BYTES);
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final StringBuilder text = new StringBuilder();
    private int start;
    private int end;
    private boolean endOfStream;
    private long lineNumber;
    private long lineBytes;
    private Line.Problem problem;
    private String problemDetail;

    /**
     * One line of input.
     *
     * @param number 1-based line number
     * @param text the decoded text without line break, or null when {@code problem} is set
     * @param problem why the line could not be decoded, or null
     * @param detail a description of the problem, or null
     */
    public record Line(long number, String text, Problem problem, String detail) {

        /** Reason a line has no text. */
        public enum Problem {
            /** The line is longer than the character limit. */
            TOO_LONG,
            /** The line is not valid UTF-8. */
            INVALID_UTF8
        }
    }

    /**
     * Creates a line input.
     *
     * @param in the bytes to read; closed by {@link #close()}
     * @param maxChars lines longer than this many characters, not counting the line break, are
     *     reported as {@link Line.Problem#TOO_LONG}
     */
    public Utf8LineInput(InputStream in, int maxChars) {
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive, got " + maxChars);
        }
        this.in = in;
        this.maxChars = maxChars;
    }

    /**
     * Reads the next line.
     *
     * @return the line, or null at the end of the stream; a final line break does not start
     *     another line
     * @throws IOException when the stream cannot be read
     */
    public Line next() throws IOException {
        if (!ensureBytes()) {
            return null;
        }
        startLine();
        while (true) {
            int newline = indexOfNewline();
            if (newline >= 0) {
                consume(newline, true);
                start = newline + 1;
                break;
            }
            consume(end, false);
            if (!readMore()) {
                consume(end, true);
                break;
            }
        }
        return finishLine();
    }

    /** Returns the capacity of the line buffer, for tests of the memory bound. */
    int lineBufferCapacity() {
        return text.capacity();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void startLine() {
        lineNumber++;
        lineBytes = 0;
        problem = null;
        problemDetail = null;
        text.setLength(0);
        decoder.reset();
    }

    private Line finishLine() {
        if (problem == null) {
            int length = text.length();
            if (length > 0 && text.charAt(length - 1) == '\r') {
                text.setLength(length - 1);
            }
            if (text.length() > maxChars) {
                markTooLong();
            }
        }
        if (problem != null) {
            return new Line(lineNumber, null, problem, problemDetail);
        }
        return new Line(lineNumber, text.toString(), null, null);
    }

    /** Decodes bytes up to {@code limit}, keeping an incomplete trailing sequence unless the line ends. */
    private void consume(int limit, boolean endOfLine) {
        if (problem != null) {
            lineBytes += limit - start;
            start = limit;
            return;
        }
        ByteBuffer input = ByteBuffer.wrap(bytes, start, limit - start);
        CoderResult result;
        do {
            result = decoder.decode(input, chars, endOfLine);
            moveChars();
        } while (result.isOverflow() && problem == null);
        if (result.isError() && problem == null) {
            markInvalid(lineBytes + input.position() - start + 1);
        }
        if (endOfLine && problem == null) {
            while (decoder.flush(chars).isOverflow()) {
                moveChars();
            }
            moveChars();
        }
        int consumed = problem == null ? input.position() : limit;
        lineBytes += consumed - start;
        start = consumed;
    }

    private void moveChars() {
        chars.flip();
        if (problem == null) {
            // One extra character leaves room for a '\r' that the line break removes.
            if (text.length() + chars.remaining() > maxChars + 1L) {
                markTooLong();
            } else {
                text.append(chars);
            }
        }
        chars.clear();
    }

    private void markTooLong() {
        problem = Line.Problem.TOO_LONG;
        problemDetail = "line is longer than the limit of " + maxChars + " characters";
        text.setLength(0);
    }

    private void markInvalid(long byteInLine) {
        problem = Line.Problem.INVALID_UTF8;
        problemDetail = "invalid UTF-8 byte sequence at byte " + byteInLine + " of the line";
        text.setLength(0);
    }

    private int indexOfNewline() {
        for (int i = start; i < end; i++) {
            if (bytes[i] == NEWLINE) {
                return i;
            }
        }
        return -1;
    }

    private boolean ensureBytes() throws IOException {
        while (start >= end) {
            if (!readMore()) {
                return false;
            }
        }
        return true;
    }

    /** Moves unread bytes to the front of the buffer and reads more after them. */
    private boolean readMore() throws IOException {
        if (endOfStream) {
            return false;
        }
        int remaining = end - start;
        System.arraycopy(bytes, start, bytes, 0, remaining);
        start = 0;
        end = remaining;
        int count = in.read(bytes, end, bytes.length - end);
        if (count < 0) {
            endOfStream = true;
            return false;
        }
        end += count;
        return true;
    }
}
