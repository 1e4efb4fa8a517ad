package org.rlhf4j.algorithms.policy.dpo;

import java.util.Objects;
import org.rlhf4j.algorithms.reward.EncodedPair;

/**
 * A preference pair as token ids with the length of the prompt in each sequence, so that the DPO
 * losses count response tokens only.
 *
 * <p>Token {@code t} of a sequence belongs to the response when {@code t >= promptLength}. The
 * prompt part starts with the BOS token, so both prompt lengths are at least 1, and each response
 * has at least one token.
 *
 * @param pair the ids of both sequences, prompt and response each
 * @param chosenPromptLength number of prompt tokens at the start of {@code pair.chosen()}
 * @param rejectedPromptLength number of prompt tokens at the start of {@code pair.rejected()}
 */
public record DpoExample(EncodedPair pair, int chosenPromptLength, int rejectedPromptLength) {

    public DpoExample {
        Objects.requireNonNull(pair, "pair");
        requirePromptLength("chosen", chosenPromptLength, pair.chosen().length, pair.id());
        requirePromptLength("rejected", rejectedPromptLength, pair.rejected().length, pair.id());
    }

    private static void requirePromptLength(String side, int promptLength, int length, String id) {
        if (promptLength < 1 || promptLength >= length) {
            throw new IllegalArgumentException("Pair " + id + ": " + side + " prompt length " + promptLength
                    + " must be in [1, " + (length - 1) + "] so that the " + length
                    + "-token sequence keeps a response token");
        }
    }

    /** Returns the identifier of the source pair. */
    public String id() {
        return pair.id();
    }

    /** Returns the number of response tokens of the chosen sequence. */
    public int chosenResponseLength() {
        return pair.chosen().length - chosenPromptLength;
    }

    /** Returns the number of response tokens of the rejected sequence. */
    public int rejectedResponseLength() {
        return pair.rejected().length - rejectedPromptLength;
    }
}
