package org.rlhf4j.algorithms.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns preference pairs into token ids with a chat template and a tokenizer, and enforces a
 * maximum sequence length.
 *
 * <p>Each side is {@code tokenizer.encodeWithSpecials(template.render(prompt, response), true,
 * true)}: one BOS first and one EOS last. A side longer than {@code maxLength} tokens is handled by
 * the {@link TruncationMode}:
 * <ul>
 *   <li>{@link TruncationMode#FILTER} drops the pair, counted as {@value #DROPPED_OVERLENGTH}.
 *   <li>{@link TruncationMode#TRUNCATE} keeps the BOS and the final EOS, and cuts tokens from the
 *       start of the prompt first, then from the end of the response text, then from the start of
 *       the template's closing marker. The reward is read at the EOS, so it is never cut.
 * </ul>
 * A pair whose two sides have equal ids carries no preference and would add a constant
 * {@code ln 2} to a Bradley-Terry loss, so it is dropped: as {@value #IDENTICAL} when the full
 * sequences are equal, and as {@value #IDENTICAL_AFTER_TRUNCATION}, with a WARN line naming the
 * pair, when truncation made them equal.
 *
 * <p>The prompt's share of a sequence is found as the longest common prefix of the full ids and the
 * ids of {@link ChatTemplate#promptPrefix}, and the closing marker's share as the longest common
 * suffix of the response ids and the ids of {@link ChatTemplate#responseSuffix}. A tokenizer that
 * merges characters across these boundaries can move the split by a token or two. The BOS and the
 * EOS are kept in every case.
 */
public final class PairEncoder {

    /** Drop reason of pairs longer than the maximum length in {@link TruncationMode#FILTER}. */
    public static final String DROPPED_OVERLENGTH = "dropped_overlength";
    /** Drop reason of pairs whose sides became equal through truncation. */
    public static final String IDENTICAL_AFTER_TRUNCATION = "identical_after_truncation";
    /** Drop reason of pairs whose sides have equal ids without truncation. */
    public static final String IDENTICAL = "identical";

    private static final Logger logger = LoggerFactory.getLogger(PairEncoder.class);

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final int maxLength;
    private final TruncationMode mode;

    /**
     * Creates an encoder.
     *
     * @param tokenizer the tokenizer of the model to train
     * @param template the chat template that renders prompt and response
     * @param maxLength the largest number of tokens per side, BOS and EOS included; at least 2
     * @param mode what to do with longer sides
     * @throws IllegalArgumentException when {@code maxLength < 2}
     */
    public PairEncoder(Tokenizer tokenizer, ChatTemplate template, int maxLength, TruncationMode mode) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = Objects.requireNonNull(template, "template");
        this.mode = Objects.requireNonNull(mode, "mode");
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be >= 2 to hold BOS and EOS, got " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /**
     * Encodes pairs, dropping and counting those that cannot be trained on.
     *
     * @param pairs the pairs to encode
     * @return the kept pairs in input order, with drop counts per reason
     */
    public EncodeResult encode(Iterable<PreferencePair> pairs) {
        return encode(pairs.iterator());
    }

    /**
     * Encodes pairs as they are read, for example from a {@code RecordReader}, so that only the
     * token ids are kept in memory.
     *
     * @param pairs the pairs to encode; the iterator is consumed but not closed
     * @return the kept pairs in input order, with drop counts per reason
     */
    public EncodeResult encode(Iterator<PreferencePair> pairs) {
        List<EncodedPair> encoded = new ArrayList<>();
        Map<String, Long> dropped = new TreeMap<>();
        long seen = 0;
        while (pairs.hasNext()) {
            PreferencePair pair = pairs.next();
            seen++;
            String reason = encodeOne(pair, encoded);
            if (reason != null) {
                dropped.merge(reason, 1L, Long::sum);
            }
        }
        EncodeResult result = new EncodeResult(encoded, seen, dropped);
        logSummary(result);
        return result;
    }

    /**
     * Encodes one prompt and response without a length limit.
     *
     * @param prompt the conversation before the response
     * @param response the response
     * @return the token ids, BOS first and EOS last
     */
    public int[] encodeSequence(List<Turn> prompt, String response) {
        return tokenizer.encodeWithSpecials(template.render(prompt, response), true, true);
    }

    /** Returns the largest number of tokens per side. */
    public int maxLength() {
        return maxLength;
    }

    /** Returns what happens to longer sides. */
    public TruncationMode mode() {
        return mode;
    }

    /** Encodes one pair into {@code encoded}, or returns the reason it was dropped. */
    private String encodeOne(PreferencePair pair, List<EncodedPair> encoded) {
        int[] chosen = encodeSequence(pair.prompt(), pair.chosen());
        int[] rejected = encodeSequence(pair.prompt(), pair.rejected());
        if (Arrays.equals(chosen, rejected)) {
            logger.debug("Pair {} dropped: chosen and rejected have the same {} tokens", pair.id(), chosen.length);
            return IDENTICAL;
        }
        boolean overLength = chosen.length > maxLength || rejected.length > maxLength;
        if (overLength && mode == TruncationMode.FILTER) {
            logger.debug("Pair {} dropped: {} and {} tokens, more than {}", pair.id(), chosen.length,
                    rejected.length, maxLength);
            return DROPPED_OVERLENGTH;
        }
        if (overLength) {
            int[] promptIds = tokenizer.encodeWithSpecials(template.promptPrefix(pair.prompt()), true, false);
            int[] suffixIds = tokenizer.encode(template.responseSuffix());
            chosen = truncate(chosen, promptIds, suffixIds);
            rejected = truncate(rejected, promptIds, suffixIds);
            if (Arrays.equals(chosen, rejected)) {
                logger.warn("Pair {} dropped: chosen and rejected are identical after truncation to {} tokens",
                        pair.id(), maxLength);
                return IDENTICAL_AFTER_TRUNCATION;
            }
        }
        encoded.add(new EncodedPair(pair.id(), chosen, rejected, pair.magnitude(), pair.subset()));
        return null;
    }

    /**
     * Cuts a sequence to {@code maxLength} tokens. Layout: BOS, prompt, response text, closing
     * marker, EOS. Cuts come from the start of the prompt, then the end of the response text, then
     * the start of the closing marker.
     */
    int[] truncate(int[] ids, int[] promptIds, int[] suffixIds) {
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

    private void logSummary(EncodeResult result) {
        long overLength = result.dropped(DROPPED_OVERLENGTH);
        if (overLength > 0) {
            logger.warn("Dropped {} of {} pairs longer than {} tokens ({}={}); truncation mode TRUNCATE keeps them",
                    overLength, result.seen(), maxLength, DROPPED_OVERLENGTH, overLength);
        }
        logger.info("Encoded {} of {} pairs with template '{}', max length {}, mode {}; dropped {}",
                result.pairs().size(), result.seen(), template.name(), maxLength, mode, result.dropped());
    }
}
