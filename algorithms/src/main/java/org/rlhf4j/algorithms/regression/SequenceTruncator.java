package org.rlhf4j.algorithms.regression;

import java.util.List;
import java.util.Objects;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * Cuts an encoded prompt and response to a maximum number of tokens while keeping the BOS and the
 * final EOS, where the reward is read. This is the rule of
 * {@link org.rlhf4j.algorithms.reward.PairEncoder}'s truncation mode, for single sequences.
 *
 * <p>A sequence is laid out as BOS, prompt, response text, closing marker, EOS. Tokens are cut from
 * the start of the prompt first, then from the end of the response text, then from the start of
 * the template's closing marker. The prompt's share is the longest common prefix of the ids and
 * the ids of {@link ChatTemplate#promptPrefix}, and the closing marker's share the longest common
 * suffix with the ids of {@link ChatTemplate#responseSuffix}, so a tokenizer that merges characters
 * across these boundaries can move a cut by a token or two.
 */
public final class SequenceTruncator {

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final int maxLength;

    /**
     * Creates a truncator.
     *
     * @param tokenizer the tokenizer that made the ids
     * @param template the template that rendered the text
     * @param maxLength the number of tokens to cut to, BOS and EOS included; at least 2
     * @throws IllegalArgumentException when {@code maxLength < 2}
     */
    public SequenceTruncator(Tokenizer tokenizer, ChatTemplate template, int maxLength) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = Objects.requireNonNull(template, "template");
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2 to hold BOS and EOS, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** Returns the number of tokens sequences are cut to. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Cuts one sequence.
     *
     * @param prompt the prompt the sequence was rendered from
     * @param ids the full sequence, {@code tokenizer.encodeWithSpecials(template.render(prompt,
     *     response), true, true)}
     * @return {@code ids} itself when it fits, or else a new array of {@link #maxLength()} tokens
     */
    public int[] truncate(List<Turn> prompt, int[] ids) {
        if (ids.length <= maxLength) {
            return ids;
        }
        int[] promptIds = tokenizer.encodeWithSpecials(template.promptPrefix(prompt), true, false);
        int[] suffixIds = tokenizer.encode(template.responseSuffix());
        return truncate(ids, promptIds, suffixIds, maxLength);
    }

    /**
     * Cuts a sequence whose prompt and closing-marker ids are known.
     *
     * @param ids the full sequence, BOS first and EOS last
     * @param promptIds the ids of BOS and the prompt prefix
     * @param suffixIds the ids of the closing marker
     * @param maxLength the number of tokens to cut to, at least 2
     * @return {@code ids} itself when it fits, or else a new array of {@code maxLength} tokens
     */
    static int[] truncate(int[] ids, int[] promptIds, int[] suffixIds, int maxLength) {
        int length = ids.length;
        if (length <= maxLength) {
            return ids;
        }
        int eos = length - 1;
        int promptEnd = Math.max(1, Math.min(commonPrefix(ids, promptIds), eos));
        int suffixLength = Math.min(commonSuffix(ids, eos, suffixIds), eos - promptEnd);
        int suffixStart = eos - suffixLength;
        int excess = length - maxLength;

        int cutPrompt = Math.min(excess, promptEnd - 1);
        excess -= cutPrompt;
        int cutResponse = Math.min(excess, suffixStart - promptEnd);
        excess -= cutResponse;
        int cutSuffix = Math.min(excess, suffixLength);

        int[] result = new int[maxLength];
        int at = 0;
        result[at++] = ids[0];
        at = copy(ids, 1 + cutPrompt, promptEnd, result, at);
        at = copy(ids, promptEnd, suffixStart - cutResponse, result, at);
        at = copy(ids, suffixStart + cutSuffix, eos, result, at);
        result[at] = ids[eos];
        return result;
    }

    private static int copy(int[] source, int from, int to, int[] target, int at) {
        int count = to - from;
        System.arraycopy(source, from, target, at, count);
        return at + count;
    }

    private static int commonPrefix(int[] ids, int[] prefix) {
        int limit = Math.min(ids.length, prefix.length);
        int i = 0;
        while (i < limit && ids[i] == prefix[i]) {
            i++;
        }
        return i;
    }

    /** Returns how many tokens before {@code end} match the end of {@code suffix}. */
    private static int commonSuffix(int[] ids, int end, int[] suffix) {
        int count = 0;
        while (count < suffix.length && count < end && ids[end - 1 - count] == suffix[suffix.length - 1 - count]) {
            count++;
        }
        return count;
    }
}
