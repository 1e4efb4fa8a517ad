package org.rlhf4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8ReaderTest {

    @Test
    void decodesMultiByteText() throws IOException {
        String text = "héllo 😀 ".repeat(5_000);

        try (StrictUtf8Reader reader = reader(text.getBytes(StandardCharsets.UTF_8))) {
            assertThat(readAll(reader)).isEqualTo(text);
        }
    }

    @Test
    void handsOutTextBeforeInvalidBytes() throws IOException {
        byte[] bytes = {'a', 'b', (byte) 0xC3, 0x28, 'c'};

        try (StrictUtf8Reader reader = reader(bytes)) {
            char[] buffer = new char[16];

            assertThat(reader.read(buffer, 0, 16)).isEqualTo(2);
            assertThat(new String(buffer, 0, 2)).isEqualTo("ab");
            assertThatThrownBy(() -> reader.read(buffer, 0, 16))
                    .isInstanceOf(CharacterCodingException.class)
                    .hasMessage("invalid UTF-8 byte sequence at byte 3 of the file");
        }
    }

    @Test
    void truncatedSequenceAtEndIsInvalid() throws IOException {
        byte[] bytes = {'a', (byte) 0xF0, (byte) 0x9F};

        try (StrictUtf8Reader reader = reader(bytes)) {
            assertThatThrownBy(() -> readAll(reader)).isInstanceOf(CharacterCodingException.class);
        }
    }

    private static StrictUtf8Reader reader(byte[] bytes) {
        return new StrictUtf8Reader(new ByteArrayInputStream(bytes));
    }

    private static String readAll(StrictUtf8Reader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[1000];
        int count = reader.read(buffer, 0, buffer.length);
        while (count >= 0) {
            text.append(buffer, 0, count);
            count = reader.read(buffer, 0, buffer.length);
        }
        return text.toString();
    }
}
