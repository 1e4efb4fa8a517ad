package org.rlhf4j.algorithms.policy.dpo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns preference pairs into {@link DpoExample}s: token ids of both sides and the length of the
 * prompt in each.
 *
 * <p>Each side is encoded as {@link PairEncoder#encodeSequence} does: the chat template renders
 * prompt and response, and the tokenizer adds one BOS first and one EOS last. The prompt's share
 * is the longest common prefix of those ids and the ids of {@link ChatTemplate#promptPrefix} with
 * a BOS; a tokenizer that merges characters across the boundary moves it by a token, and at least
 * the final EOS always counts as response. Pairs are dropped and counted with the
 * {@link PairEncoder} reasons: {@value PairEncoder#IDENTICAL} when both sides have equal ids,
 * {@value PairEncoder#DROPPED_OVERLENGTH} when a side is longer than {@code maxLength} in
 * {@link TruncationMode#FILTER} mode, and {@value PairEncoder#IDENTICAL_AFTER_TRUNCATION} when
 * truncation made the sides equal.
 *
 * <p>In {@link TruncationMode#TRUNCATE} mode a longer side keeps its BOS and loses tokens from the
 * start of the prompt first, then from the end of the response. Unlike the reward-model encoder it
 * does not keep the final EOS of a cut response: the policy would otherwise learn to stop in the
 * middle of a text.
 */
public final class DpoEncoder {

    private static final Logger logger = LoggerFactory.getLogger(DpoEncoder.class);

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final PairEncoder sequences;
    private final int maxLength;
    private final TruncationMode mode;

    /**
     * Creates an encoder.
     *
     * @param tokenizer the policy's tokenizer
     * @param template the chat template that renders prompt and response
     * @param maxLength the largest number of tokens per side, at least 2
     * @param mode what to do with longer sides
     * @throws IllegalArgumentException when {@code maxLength < 2}
     */
    public DpoEncoder(Tokenizer tokenizer, ChatTemplate template, int maxLength, TruncationMode mode) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = Objects.requireNonNull(template, "template");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.sequences = new PairEncoder(tokenizer, template, maxLength, mode);
        this.maxLength = maxLength;
    }

    /**
     * Encodes pairs, dropping and counting those that cannot be trained on.
     *
     * @param pairs the pairs
     * @return the kept examples in input order, with drop counts per reason
     */
    public DpoEncodeResult encode(Iterable<PreferencePair> pairs) {
        List<DpoExample> examples = new ArrayList<>();
        Map<String, Long> dropped = new TreeMap<>();
        long seen = 0;
        for (PreferencePair pair : pairs) {
            seen++;
            String reason = encodeOne(pair, examples);
            if (reason != null) {
                dropped.merge(reason, 1L, Long::sum);
            }
        }
        logger.info("Encoded {} of {} pairs for DPO with template '{}', max length {}, mode {}; dropped {}",
                examples.size(), seen, template.name(), maxLength, mode, dropped);
        return new DpoEncodeResult(examples, seen, dropped);
    }

    /** Encodes one pair into {@code examples}, or returns the reason it was dropped. */
    private String encodeOne(PreferencePair pair, List<DpoExample> examples) {
        int[] promptIds = tokenizer.encodeWithSpecials(template.promptPrefix(pair.prompt()), true, false);
        Side chosen = side(sequences.encodeSequence(pair.prompt(), pair.chosen()), promptIds);
        Side rejected = side(sequences.encodeSequence(pair.prompt(), pair.rejected()), promptIds);
        if (Arrays.equals(chosen.ids(), rejected.ids())) {
            logger.debug("Pair {} dropped: chosen and rejected have the same {} tokens", pair.id(), chosen.length());
            return PairEncoder.IDENTICAL;
        }
        boolean overLength = chosen.length() > maxLength || rejected.length() > maxLength;
        if (overLength && mode == TruncationMode.FILTER) {
            logger.debug("Pair {} dropped: {} and {} tokens, more than {}", pair.id(), chosen.length(),
                    rejected.length(), maxLength);
            return PairEncoder.DROPPED_OVERLENGTH;
        }
        if (overLength) {
            chosen = truncate(chosen);
            rejected = truncate(rejected);
            if (Arrays.equals(chosen.ids(), rejected.ids())) {
                logger.warn("Pair {} dropped: chosen and rejected are identical after truncation to {} tokens",
                        pair.id(), maxLength);
                return PairEncoder.IDENTICAL_AFTER_TRUNCATION;
            }
        }
        EncodedPair encoded = new EncodedPair(pair.id(), chosen.ids(), rejected.ids(), pair.magnitude(),
                pair.subset());
        examples.add(new DpoExample(encoded, chosen.promptLength(), rejected.promptLength()));
        return null;
    }

    private static Side side(int[] ids, int[] promptIds) {
        int common = 0;
        int limit = Math.min(ids.length, promptIds.length);
        while (common < limit && ids[common] == promptIds[common]) {
            common++;
        }
        int promptLength = Math.max(1, Math.min(common, ids.length - 1));
        return new Side(ids, promptLength);
    }

    /** Cuts a side to {@code maxLength}: prompt tokens after the BOS first, then response tokens from the end. */
    Side truncate(Side side) {
        int[] ids = side.ids();
        if (ids.length <= maxLength) {
            return side;
        }
        int excess = ids.length - maxLength;
        int cutPrompt = Math.min(excess, side.promptLength() - 1);
        int cutResponse = excess - cutPrompt;
        int[] result = new int[maxLength];
        result[0] = ids[0];
        int keptPrompt = side.promptLength() - 1 - cutPrompt;
        System.arraycopy(ids, 1 + cutPrompt, result, 1, keptPrompt);
        int responseKept = ids.length - side.promptLength() - cutResponse;
        System.arraycopy(ids, side.promptLength(), result, 1 + keptPrompt, responseKept);
        return new Side(result, side.promptLength() - cutPrompt);
    }

    /** The ids of one side and the number of prompt tokens at their start. */
    record Side(int[] ids, int promptLength) {

        int length() {
            return ids.length;
        }
    }
}
