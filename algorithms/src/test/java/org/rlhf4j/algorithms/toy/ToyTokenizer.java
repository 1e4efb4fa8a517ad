package org.rlhf4j.algorithms.toy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.rlhf4j.models.tokenizer.Tokenizer;

/**
 * A whitespace tokenizer over a fixed word list: {@code <pad>}=0, {@code <s>}=1, {@code </s>}=2,
 * {@code <unk>}=3, then the words in the order given.
 */
public final class ToyTokenizer implements Tokenizer {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int UNK = 3;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> words = new ArrayList<>();

    public ToyTokenizer(List<String> vocabulary) {
        for (String word : List.of("<pad>", "<s>", "</s>", "<unk>")) {
            add(word);
        }
        vocabulary.forEach(this::add);
    }

    private void add(String word) {
        if (!ids.containsKey(word)) {
            ids.put(word, words.size());
            words.add(word);
        }
    }

    /** Returns the id of a word, or {@link #UNK}. */
    public int id(String word) {
        return ids.getOrDefault(word, UNK);
    }

    @Override
    public int vocabSize() {
        return words.size();
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public int padId() {
        return PAD;
    }

    @Override
    public int[] encode(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] parts = trimmed.split("\\s+");
        int[] result = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            result[i] = id(parts[i]);
        }
        return result;
    }

    @Override
    public String decode(int[] tokens) {
        StringJoiner text = new StringJoiner(" ");
        for (int token : tokens) {
            if (token > UNK) {
                text.add(words.get(token));
            }
        }
        return text.toString();
    }
}
