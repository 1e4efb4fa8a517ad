package org.rlhf4j.algorithms.toy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.chat.PlainChatTemplate;

/**
 * A separable toy preference set: chosen responses use only the words g1..g4 and rejected
 * responses only b1..b4, so a bag-of-words model can rank every pair correctly.
 */
public final class ToyData {

    public static final ToyTokenizer TOKENIZER = new ToyTokenizer(List.of(
            "q0", "q1", "q2", "q3", "g1", "g2", "g3", "g4", "b1", "b2", "b3", "b4", "User:", "Assistant:"));

    private ToyData() {}

    /** Creates {@code count} pairs from a seeded generator. */
    public static List<PreferencePair> pairs(int count, long seed) {
        Random random = new Random(seed);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String prompt = "q" + (i % 4);
            pairs.add(new PreferencePair("pair-" + i, List.of(Turn.user(prompt)), words(random, "g"),
                    words(random, "b"), 1.0, i % 2 == 0 ? "even" : "odd"));
        }
        return pairs;
    }

    /** Creates and encodes {@code count} pairs with the plain template. */
    public static List<EncodedPair> encoded(int count, long seed) {
        return new PairEncoder(TOKENIZER, new PlainChatTemplate(), 64, TruncationMode.FILTER)
                .encode(pairs(count, seed)).pairs();
    }

    private static String words(Random random, String prefix) {
        int length = 1 + random.nextInt(4);
        StringJoiner text = new StringJoiner(" ");
        for (int i = 0; i < length; i++) {
            text.add(prefix + (1 + random.nextInt(4)));
        }
        return text.toString();
    }

    /** Creates a trainable toy model sized for {@link #TOKENIZER}. */
    public static ToyRewardModel model(long seed) {
        return new ToyRewardModel(TOKENIZER.vocabSize(), 8, seed);
    }
}
