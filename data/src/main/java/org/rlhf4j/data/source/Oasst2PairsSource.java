package org.rlhf4j.data.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.data.DropReasons;
import org.rlhf4j.data.internal.JsonRecord;
import org.rlhf4j.data.internal.Outcome;
import org.rlhf4j.data.internal.Texts;

/**
 * Reads OpenAssistant message trees (the oasst2 {@code *.trees.jsonl} export, one tree per line)
 * as preference pairs between sibling assistant replies ranked by humans. Plugin name
 * {@value #NAME}.
 *
 * <p>The line layout and the checks are those of {@link Oasst2Source}. For every message, its
 * assistant replies that have a {@code rank} (0 is best) and are not deleted form a ranked group.
 * The group is sorted by rank, and a pair is made for each two <em>adjacent</em> ranks: every
 * reply of one rank is chosen over every reply of the next worse rank that occurs, so k replies
 * with k distinct ranks give k - 1 pairs. Adjacent pairs are the judgments the ranking states directly.
 * All k(k - 1)/2 pairs would add comparisons implied only by transitivity, and they would give
 * large groups far more weight. Ranks say nothing about how much better a reply is, so every pair has
 * magnitude 1. Replies that share a rank give no pair with each other.
 *
 * <p>The pair id is {@code chosenMessageId>rejectedMessageId}; the prompt is the conversation from
 * the root to the common parent. Candidates that give no pair are counted in
 * {@link RecordReader#stats()}: {@value Oasst2Source#DELETED} once per ranked reply that is deleted
 * or answers a deleted message (it is left out before pairing), {@value Oasst2Source#OTHER_LANGUAGE}
 * per pair with a reply whose {@code lang} differs from the language filter,
 * {@value Oasst2Source#DUPLICATE} per pair whose id was already read (the ids are kept in memory),
 * and {@code "identical"} per pair of equal texts. {@link ReadOptions#keepTies()} has no effect
 * because tied replies are never paired.
 */
public final class Oasst2PairsSource implements DataSource<PreferencePair> {

    /** The plugin name. */
    public static final String NAME = "oasst2-pairs";

    /** Separator between the two message ids of a pair id. */
    public static final String ID_SEPARATOR = ">";

    private final String language;

    /** Creates a source that reads pairs in every language. */
    public Oasst2PairsSource() {
        this(null);
    }

    private Oasst2PairsSource(String language) {
        if (language != null && language.isBlank()) {
            throw new IllegalArgumentException("language must be null or a language code such as \"en\", got \""
                    + language + "\"");
        }
        this.language = language;
    }

    /**
     * Returns a copy of this source that keeps only pairs whose two replies have {@code lang}
     * {@code code}.
     *
     * @param code a language code such as {@code "en"}, compared ignoring case, or null to keep
     *     every language
     * @return the new source
     * @throws IllegalArgumentException when {@code code} is blank
     */
    public Oasst2PairsSource withLanguage(String code) {
        return new Oasst2PairsSource(code);
    }

    /** Returns the language filter, or null when every language is kept. */
    public String language() {
        return language;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Reads OpenAssistant oasst2 message trees as pairs of sibling replies with adjacent human ranks.";
    }

    @Override
    public RecordKind kind() {
        return RecordKind.PREFERENCE_PAIRS;
    }

    @Override
    public RecordReader<PreferencePair> open(Path file, ReadOptions options) throws IOException {
        Set<String> seenIds = new HashSet<>();
        return ExpandingRecordReader.open(file, options, "ranked pairs", (record, line) -> map(record, seenIds));
    }

    private Outcome<ExpandingRecordReader.Expansion<PreferencePair>> map(JsonRecord record, Set<String> seenIds) {
        OasstMessage root = OasstTrees.parse(record);
        List<PreferencePair> pairs = new ArrayList<>();
        Map<String, Long> dropped = new TreeMap<>();
        OasstTrees.walk(root, (message, ancestors, deletedOnPath) -> {
            List<OasstMessage> ranked = rankedReplies(message, deletedOnPath, dropped);
            if (ranked.size() < 2) {
                return;
            }
            List<Turn> prompt = new ArrayList<>(OasstTrees.conversation(ancestors));
            prompt.add(message.toTurn());
            for (OasstMessage[] candidate : adjacentPairs(ranked)) {
                addPair(candidate[0], candidate[1], prompt, seenIds, pairs, dropped);
            }
        });
        return ExpandingRecordReader.expansion(pairs, dropped);
    }

    /** Returns the ranked assistant replies that are not deleted, best first, and counts the deleted ones. */
    private static List<OasstMessage> rankedReplies(OasstMessage parent, boolean parentDeleted,
            Map<String, Long> dropped) {
        List<OasstMessage> ranked = new ArrayList<>();
        for (OasstMessage reply : parent.replies()) {
            if (!reply.isAssistant() || reply.rank() == null) {
                continue;
            }
            if (parentDeleted || reply.deleted()) {
                dropped.merge(Oasst2Source.DELETED, 1L, Long::sum);
            } else {
                ranked.add(reply);
            }
        }
        ranked.sort(Comparator.comparingInt(OasstMessage::rank));
        return ranked;
    }

    /** Returns every (better, worse) pair of replies whose ranks are adjacent among the ranks present. */
    private static List<OasstMessage[]> adjacentPairs(List<OasstMessage> ranked) {
        List<OasstMessage[]> pairs = new ArrayList<>();
        int levelStart = 0;
        while (levelStart < ranked.size()) {
            int nextStart = levelEnd(ranked, levelStart);
            int nextEnd = levelEnd(ranked, nextStart);
            for (int better = levelStart; better < nextStart; better++) {
                for (int worse = nextStart; worse < nextEnd; worse++) {
                    pairs.add(new OasstMessage[] {ranked.get(better), ranked.get(worse)});
                }
            }
            levelStart = nextStart;
        }
        return pairs;
    }

    /** Returns the index after the last reply whose rank equals the rank at {@code start}. */
    private static int levelEnd(List<OasstMessage> ranked, int start) {
        int end = start;
        while (end < ranked.size() && ranked.get(end).rank().equals(ranked.get(start).rank())) {
            end++;
        }
        return end;
    }

    private void addPair(OasstMessage chosen, OasstMessage rejected, List<Turn> prompt, Set<String> seenIds,
            List<PreferencePair> pairs, Map<String, Long> dropped) {
        String id = chosen.id() + ID_SEPARATOR + rejected.id();
        String reason = null;
        if (!chosen.hasLanguage(language) || !rejected.hasLanguage(language)) {
            reason = Oasst2Source.OTHER_LANGUAGE;
        } else if (seenIds.contains(id)) {
            reason = Oasst2Source.DUPLICATE;
        } else if (Texts.sameResponse(chosen.text(), rejected.text())) {
            reason = DropReasons.IDENTICAL;
        }
        if (reason != null) {
            dropped.merge(reason, 1L, Long::sum);
            return;
        }
        seenIds.add(id);
        pairs.add(new PreferencePair(id, prompt, chosen.text(), rejected.text(), 1.0, null));
    }
}
