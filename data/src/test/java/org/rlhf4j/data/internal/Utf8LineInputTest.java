package org.rlhf4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LineInputTest {

    @Test
    void splitsLinesAndStripsCarriageReturn() throws IOException {
        List<Utf8LineInput.Line> lines = readAll("a\r\nb\n\nc", 100);

        assertThat(lines).extracting(Utf8LineInput.Line::text).containsExactly("a", "b", "", "c");
        assertThat(lines).extracting(Utf8LineInput.Line::number).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void keepsInnerCarriageReturn() throws IOException {
        List<Utf8LineInput.Line> lines = readAll("a\rb\r\n", 100);

        assertThat(lines).extracting(Utf8LineInput.Line::text).containsExactly("a\rb");
    }

    @Test
    void decodesCharactersAcrossChunkBoundaries() throws IOException {
        // 'é' is two bytes and '😀' four, so some of them straddle the 64 KiB read boundary.
        String line = "é".repeat(40_000) + "😀".repeat(20_000);

        List<Utf8LineInput.Line> lines = readAll(line + "\nnext\n", 1_000_000);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).text()).isEqualTo(line);
        assertThat(lines.get(1).text()).isEqualTo("next");
    }

    @Test
    void tooLongLineIsReportedAndSkipped() throws IOException {
        String huge = "y".repeat(3 * Utf8LineInput.CHUNK_BYTES + 17);

        List<Utf8LineInput.Line> lines = readAll("short\n" + huge + "\nafter\n", 1_000);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).problem()).isEqualTo(Utf8LineInput.Line.Problem.TOO_LONG);
        assertThat(lines.get(1).text()).isNull();
        assertThat(lines.get(2).text()).isEqualTo("after");
        assertThat(lines.get(2).number()).isEqualTo(3);
    }

    @Test
    void limitCountsCharactersWithoutLineBreak() throws IOException {
        List<Utf8LineInput.Line> lines = readAll("abcde\nabcdef\nabcde\r\nééééé\n", 5);

        assertThat(lines.get(0).text()).isEqualTo("abcde");
        assertThat(lines.get(1).problem()).isEqualTo(Utf8LineInput.Line.Problem.TOO_LONG);
        assertThat(lines.get(2).text()).isEqualTo("abcde");
        assertThat(lines.get(3).text()).isEqualTo("ééééé");
    }

    @Test
    void tooLongLineIsNeverBuffered() throws IOException {
        // One 8 MiB line of 'z' bytes with no line break; only about 100 characters may be held.
        LimitedZeros longLine = new LimitedZeros(8 << 20);
        try (Utf8LineInput input = new Utf8LineInput(longLine, 100)) {
            Utf8LineInput.Line line = input.next();

            assertThat(line.problem()).isEqualTo(Utf8LineInput.Line.Problem.TOO_LONG);
            assertThat(longLine.served).isEqualTo(8 << 20);
            assertThat(input.lineBufferCapacity()).isLessThan(1_000);
            assertThat(input.next()).isNull();
        }
    }

    @Test
    void invalidBytesReportPositionAndNextLineDecodes() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'a', (byte) 0xC3, 0x28, 'b', '\n', 'f', 'i', 'n', 'e', '\n'};

        List<Utf8LineInput.Line> lines = readAll(bytes, 100);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1).problem()).isEqualTo(Utf8LineInput.Line.Problem.INVALID_UTF8);
        assertThat(lines.get(1).detail()).contains("byte 2");
        assertThat(lines.get(2).text()).isEqualTo("fine");
    }

    @Test
    void truncatedSequenceAtEndOfLineIsInvalid() throws IOException {
        byte[] bytes = {'a', (byte) 0xE2, (byte) 0x82, '\n', 'b'};

        List<Utf8LineInput.Line> lines = readAll(bytes, 100);

        assertThat(lines.get(0).problem()).isEqualTo(Utf8LineInput.Line.Problem.INVALID_UTF8);
        assertThat(lines.get(1).text()).isEqualTo("b");
    }

    @Test
    void encodedSurrogateIsInvalid() throws IOException {
        // ED A0 80 would encode U+D800, which UTF-8 forbids.
        byte[] bytes = {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'};

        List<Utf8LineInput.Line> lines = readAll(bytes, 100);

        assertThat(lines.get(0).problem()).isEqualTo(Utf8LineInput.Line.Problem.INVALID_UTF8);
    }

    private static List<Utf8LineInput.Line> readAll(String text, int maxChars) throws IOException {
        return readAll(text.getBytes(StandardCharsets.UTF_8), maxChars);
    }

    private static List<Utf8LineInput.Line> readAll(byte[] bytes, int maxChars) throws IOException {
        List<Utf8LineInput.Line> lines = new ArrayList<>();
        try (Utf8LineInput input = new Utf8LineInput(new ByteArrayInputStream(bytes), maxChars)) {
            for (Utf8LineInput.Line line = input.next(); line != null; line = input.next()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Serves 'z' bytes without a line break, then ends. */
    private static final class LimitedZeros extends InputStream {
        private final int limit;
        private int served;

        LimitedZeros(int limit) {
            this.limit = limit;
        }

        @Override
        public int read() {
            if (served >= limit) {
                return -1;
            }
            served++;
            return 'z';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (served >= limit) {
                return -1;
            }
            int count = Math.min(length, limit - served);
            java.util.Arrays.fill(buffer, offset, offset + count, (byte) 'z');
            served += count;
            return count;
        }
    }
}
