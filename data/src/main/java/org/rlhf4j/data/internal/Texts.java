package org.rlhf4j.data.internal;

import java.text.Normalizer;

/** Text checks shared by the readers. */
public final class Texts {

    private Texts() {
    }

    /**
     * Returns the index of the first UTF-16 surrogate that is not part of a valid pair, or -1.
     *
     * @param text the text to check
     */
    public static int unpairedSurrogateIndex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Tells whether two responses are the same text once {@code \r} is removed and both are in
     * Unicode NFC form, so that a tokenizer would see the same input.
     */
    public static boolean sameResponse(String a, String b) {
        return normalizeResponse(a).equals(normalizeResponse(b));
    }

    private static String normalizeResponse(String text) {
        return Normalizer.normalize(text.replace("\r", ""), Normalizer.Form.NFC);
    }
}
