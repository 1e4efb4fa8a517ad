package org.rlhf4j.algorithms.regression;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.chat.ChatTemplate;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns rated responses into token ids and per-slot labels for regression training.
 *
 * <p>The ids are {@code tokenizer.encodeWithSpecials(template.render(prompt, response), true,
 * true)}: one BOS first and one EOS last. The labels and mask come from
 * {@link RegressionTargets#labels}. A sequence longer than {@code maxLength} tokens is handled as
 * {@link PairEncoder} handles one side of a pair: {@link TruncationMode#FILTER} drops the record,
 * counted as {@value PairEncoder#DROPPED_OVERLENGTH}, and {@link TruncationMode#TRUNCATE} cuts it
 * with a {@link SequenceTruncator}, which keeps the BOS and the EOS. A record with no rating for any
 * trained attribute carries no training signal and is dropped as {@value #UNLABELLED}.
 */
public final class RatedEncoder {

    /** Drop reason of records without a rating for any trained attribute. */
    public static final String UNLABELLED = "unlabelled";

    private static final Logger logger = LoggerFactory.getLogger(RatedEncoder.class);

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final RegressionTargets targets;
    private final TruncationMode mode;
    private final SequenceTruncator truncator;

    /**
     * Creates an encoder.
     *
     * @param tokenizer the tokenizer of the model to train
     * @param template the chat template that renders prompt and response
     * @param targets the head slots and which of them are trained
     * @param maxLength the largest number of tokens per sequence, BOS and EOS included; at least 2
     * @param mode what to do with longer sequences
     * @throws IllegalArgumentException when {@code maxLength < 2}
     */
    public RatedEncoder(Tokenizer tokenizer, ChatTemplate template, RegressionTargets targets, int maxLength,
            TruncationMode mode) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = Objects.requireNonNull(template, "template");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.truncator = new SequenceTruncator(tokenizer, template, maxLength);
    }

    /**
     * Encodes records, dropping and counting those that cannot be trained on.
     *
     * @param records the records to encode
     * @return the kept examples in input order, with drop counts per reason
     * @throws IllegalArgumentException when a record has no prompt turn or a trained rating that
     *     is not finite
     */
    public RatedEncodeResult encode(Iterable<RatedResponse> records) {
        return encode(records.iterator());
    }

    /**
     * Encodes records as they are read, for example from a {@code RecordReader}, so that only the
     * token ids are kept in memory.
     *
     * @param records the records to encode; the iterator is consumed but not closed
     * @return the kept examples in input order, with drop counts per reason
     * @throws IllegalArgumentException when a record has no prompt turn or a trained rating that
     *     is not finite
     */
    public RatedEncodeResult encode(Iterator<RatedResponse> records) {
        List<EncodedRated> encoded = new ArrayList<>();
        Map<String, Long> dropped = new TreeMap<>();
        long seen = 0;
        while (records.hasNext()) {
            RatedResponse record = records.next();
            seen++;
            String reason = encodeOne(record, encoded);
            if (reason != null) {
                dropped.merge(reason, 1L, Long::sum);
            }
        }
        RatedEncodeResult result = new RatedEncodeResult(encoded, seen, dropped);
        logSummary(result);
        return result;
    }

    /**
     * Encodes one prompt and response without a length limit.
     *
     * @param prompt the conversation before the response, at least one turn
     * @param response the response
     * @return the token ids, BOS first and EOS last
     */
    public int[] encodeSequence(List<Turn> prompt, String response) {
        return tokenizer.encodeWithSpecials(template.render(prompt, response), true, true);
    }

    /** Returns the head slots and which of them are trained. */
    public RegressionTargets targets() {
        return targets;
    }

    /** Returns the largest number of tokens per sequence. */
    public int maxLength() {
        return truncator.maxLength();
    }

    /** Returns what happens to longer sequences. */
    public TruncationMode mode() {
        return mode;
    }

    /** Encodes one record into {@code encoded}, or returns the reason it was dropped. */
    private String encodeOne(RatedResponse record, List<EncodedRated> encoded) {
        if (record.prompt().isEmpty()) {
            throw new IllegalArgumentException("Record " + record.id() + " has no prompt turn; the template needs "
                    + "at least one");
        }
        RegressionTargets.Labels labels = targets.labels(record);
        if (labels.labelledCount() == 0) {
            logger.debug("Record {} dropped: no rating for the trained attributes", record.id());
            return UNLABELLED;
        }
        int[] ids = encodeSequence(record.prompt(), record.response());
        if (ids.length > maxLength()) {
            if (mode == TruncationMode.FILTER) {
                logger.debug("Record {} dropped: {} tokens, more than {}", record.id(), ids.length, maxLength());
                return PairEncoder.DROPPED_OVERLENGTH;
            }
            ids = truncator.truncate(record.prompt(), ids);
        }
        encoded.add(new EncodedRated(record.id(), ids, labels.values(), labels.mask()));
        return null;
    }

    private void logSummary(RatedEncodeResult result) {
        long overLength = result.dropped(PairEncoder.DROPPED_OVERLENGTH);
        if (overLength > 0) {
            logger.warn("Dropped {} of {} rated responses longer than {} tokens; truncation mode TRUNCATE keeps them",
                    overLength, result.seen(), maxLength());
        }
        logger.info("Encoded {} of {} rated responses with template '{}' for attributes {} (trained: {}), max "
                + "length {}, mode {}; dropped {}", result.examples().size(), result.seen(), template.name(),
                targets.attributes(), trainedAttributes(), maxLength(), mode, result.dropped());
    }

    private List<String> trainedAttributes() {
        return targets.targets().stream().filter(RegressionTargets.Target::trained)
                .map(RegressionTargets.Target::attribute).toList();
    }
}
