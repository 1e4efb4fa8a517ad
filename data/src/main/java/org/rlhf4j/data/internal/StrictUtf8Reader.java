package org.rlhf4j.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes strict UTF-8. Unlike {@link java.io.InputStreamReader}, it first hands out every
 * character decoded before an invalid byte sequence and throws only on the read after them, so a
 * parser can finish the records that precede the bad bytes.
 */
public final class StrictUtf8Reader extends Reader {

    private static final int BUFFER_BYTES = 8 * 1024;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES).flip();
    private long bytesRead;
    private boolean endOfStream;
    private boolean flushed;
    private CharacterCodingException error;

    /** Creates a reader over {@code in}, which {@link #close()} closes. */
    public StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (out.position() == offset) {
            if (error != null) {
                throw error;
            }
            if (flushed) {
                return -1;
            }
            decodeInto(out);
        }
        return out.position() - offset;
    }

    private void decodeInto(CharBuffer out) throws IOException {
        CoderResult result = decoder.decode(bytes, out, endOfStream);
        if (result.isError()) {
            error = new InvalidUtf8Exception(bytesRead - bytes.remaining() + 1);
        } else if (result.isUnderflow()) {
            if (endOfStream) {
                flushed = !decoder.flush(out).isOverflow();
            } else {
                fill();
            }
        }
    }

    private void fill() throws IOException {
        bytes.compact();
        int count = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (count < 0) {
            endOfStream = true;
        } else {
            bytes.position(bytes.position() + count);
            bytesRead += count;
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Invalid UTF-8 at a known byte of the input. */
    static final class InvalidUtf8Exception extends CharacterCodingException {

        private static final long serialVersionUID = 1L;

        private final long bytePosition;

        InvalidUtf8Exception(long bytePosition) {
            this.bytePosition = bytePosition;
        }

        @Override
        public String getMessage() {
            return "invalid UTF-8 byte sequence at byte " + bytePosition + " of the file";
        }
    }
}
