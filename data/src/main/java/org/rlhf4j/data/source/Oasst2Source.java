package org.rlhf4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.data.internal.JsonRecord;
import org.rlhf4j.data.internal.Outcome;

/**
 * Reads OpenAssistant message trees (the oasst2 {@code *.trees.jsonl} export, one tree per line)
 * as assistant replies with their human ratings. Plugin name {@value #NAME}.
 *
 * <p>Each line is an object whose {@code prompt} field contains the root message; every message
 * nests its {@code replies}. One record is made per assistant reply that has human
 * {@code labels}: the record id is the reply's {@code message_id}, the prompt is the conversation
 * from the root to the reply's parent ({@code "prompter"} messages become user turns and
 * {@code "assistant"} messages assistant turns), and the ratings are the labels' {@code value}s,
 * each the mean of {@code count} raters in [0, 1]. Ratings follow the order of
 * {@link #ATTRIBUTES}, then any other label names in source order. The fields of each message
 * that are read, and their forms, are listed on {@code OasstTrees.parse}; a bad field anywhere in
 * a tree makes the whole line malformed, and the error names the field's path, such as
 * {@code prompt.replies[0].labels.quality.value}.
 *
 * <p>Model-made scores are never read: neither the {@code CRITERIA} objects that some copies of
 * the data add to every message nor {@code detoxify} reaches the ratings. The sources also ignore
 * {@code emojis}, the labels of prompter messages and {@code review_result}, so a reply that
 * failed review is kept unless it is also marked {@code deleted}.
 *
 * <p>Assistant replies that give no record are counted in {@link RecordReader#stats()} under the
 * first reason that applies, in this order:
 * <ul>
 *   <li>{@value #DELETED}: the reply or a message above it is marked {@code deleted}, because the
 *       conversation before the reply is then incomplete;</li>
 *   <li>{@value #UNLABELLED}: it has no label with at least {@link #minRaterCount()} raters;</li>
 *   <li>{@value #OTHER_LANGUAGE}: a language filter is set and the reply's {@code lang} differs
 *       (compared ignoring case);</li>
 *   <li>{@value #DUPLICATE}: a record with the same {@code message_id} was already read from the
 *       file. Exports can hold the same tree twice, and keeping both copies would put one reply
 *       on both sides of a train and test split. The reader keeps the ids it has handed out in
 *       memory, about 100 bytes per record.</li>
 * </ul>
 * So the number of kept records plus the dropped counts above equals the number of assistant
 * replies in the well-formed lines.
 */
public final class Oasst2Source implements DataSource<RatedResponse> {

    /** The plugin name. */
    public static final String NAME = "oasst2";

    /**
     * The human label names of oasst2 assistant replies, in the order of the ratings map. The
     * first six are 5-point scales mapped to 0, 0.25, ..., 1 before averaging. The others are
     * yes/no flags, averaged to the share of yes votes.
     */
    public static final List<String> ATTRIBUTES = List.of("quality", "helpfulness", "creativity", "humor",
            "toxicity", "violence", "fails_task", "spam", "lang_mismatch", "pii", "not_appropriate", "hate_speech",
            "sexual_content");

    /** Drop reason of replies that are deleted or reply to a deleted message. */
    public static final String DELETED = "deleted";

    /** Drop reason of replies without a usable label. */
    public static final String UNLABELLED = "unlabelled";

    /** Drop reason of replies in another language than the filter's. */
    public static final String OTHER_LANGUAGE = "other-language";

    /** Drop reason of records whose id was already read. */
    public static final String DUPLICATE = "duplicate";

    private final String language;
    private final int minRaterCount;

    /** Creates a source that reads replies in every language and labels with at least one rater. */
    public Oasst2Source() {
        this(null, 1);
    }

    private Oasst2Source(String language, int minRaterCount) {
        if (language != null && language.isBlank()) {
            throw new IllegalArgumentException("language must be null or a language code such as \"en\", got \""
                    + language + "\"");
        }
        if (minRaterCount < 0) {
            throw new IllegalArgumentException("minRaterCount must be >= 0, got " + minRaterCount);
        }
        this.language = language;
        this.minRaterCount = minRaterCount;
    }

    /**
     * Returns a copy of this source that keeps only replies whose {@code lang} is {@code code}.
     *
     * @param code a language code such as {@code "en"} or {@code "pt-BR"}, compared ignoring case,
     *     or null to keep every language
     * @return the new source
     * @throws IllegalArgumentException when {@code code} is blank
     */
    public Oasst2Source withLanguage(String code) {
        return new Oasst2Source(code, minRaterCount);
    }

    /**
     * Returns a copy of this source that leaves out labels rated by fewer than {@code count} raters.
     *
     * @param count the minimum number of raters, at least 0; default 1
     * @return the new source
     * @throws IllegalArgumentException when {@code count} is negative
     */
    public Oasst2Source withMinRaterCount(int count) {
        return new Oasst2Source(language, count);
    }

    /** Returns the language filter, or null when every language is kept. */
    public String language() {
        return language;
    }

    /** Returns the minimum number of raters a label needs to become a rating. */
    public int minRaterCount() {
        return minRaterCount;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads OpenAssistant oasst2 message trees as assistant replies rated by humans (quality, "
                + "helpfulness, ... in 0..1).";
    }

    @Override
    public RecordKind kind() {
        return RecordKind.RATED_RESPONSES;
    }

    @Override
    public RecordReader<RatedResponse> open(Path file, ReadOptions options) throws IOException {
        Set<String> seenIds = new HashSet<>();
        return ExpandingRecordReader.open(file, options, "rated replies", (record, line) -> map(record, seenIds));
    }

    private Outcome<ExpandingRecordReader.Expansion<RatedResponse>> map(JsonRecord record, Set<String> seenIds) {
        OasstMessage root = OasstTrees.parse(record);
        List<RatedResponse> records = new ArrayList<>();
        Map<String, Long> dropped = new TreeMap<>();
        OasstTrees.walk(root, (message, ancestors, deletedOnPath) -> {
            if (!message.isAssistant()) {
                return;
            }
            Map<String, Double> ratings = ratings(message);
            String reason = dropReason(message, deletedOnPath, ratings, seenIds);
            if (reason != null) {
                dropped.merge(reason, 1L, Long::sum);
                return;
            }
            seenIds.add(message.id());
            records.add(new RatedResponse(message.id(), OasstTrees.conversation(ancestors), message.text(), ratings));
        });
        return ExpandingRecordReader.expansion(records, dropped);
    }

    private String dropReason(OasstMessage message, boolean deletedOnPath, Map<String, Double> ratings,
            Set<String> seenIds) {
        if (deletedOnPath) {
            return DELETED;
        }
        if (ratings.isEmpty()) {
            return UNLABELLED;
        }
        if (!message.hasLanguage(language)) {
            return OTHER_LANGUAGE;
        }
        return seenIds.contains(message.id()) ? DUPLICATE : null;
    }

    /** Returns the labels with enough raters, known attributes first in {@link #ATTRIBUTES} order. */
    private Map<String, Double> ratings(OasstMessage message) {
        Map<String, Double> ratings = new LinkedHashMap<>();
        for (String attribute : ATTRIBUTES) {
            OasstMessage.Label label = message.labels().get(attribute);
            if (label != null && label.count() >= minRaterCount) {
                ratings.put(attribute, label.value());
            }
        }
        message.labels().forEach((name, label) -> {
            if (!ratings.containsKey(name) && label.count() >= minRaterCount) {
                ratings.put(name, label.value());
            }
        });
        return ratings;
    }
}
