package org.rlhf4j.algorithms.regression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.algorithms.toy.BareTemplate;
import org.rlhf4j.algorithms.toy.ToyData;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.Turn;

/**
 * A synthetic rated set over the toy vocabulary. Responses are 1 to 4 words from g1..g4 and
 * b1..b4. Helpfulness is 4 times the share of g words and correctness 4 times the share of words
 * ending in 1 or 2. Coherence is 4 minus helpfulness, complexity is 2, and verbosity is 4 times
 * the share of b words. Every third record lacks correctness and complexity, so records label 3 or 5 slots.
 */
final class RatedData {

    private RatedData() {
    }

    /** Creates {@code count} records from a seeded generator. */
    static List<RatedResponse> records(int count, long seed) {
        Random random = new Random(seed);
        List<RatedResponse> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = 1 + random.nextInt(4);
            List<String> words = new ArrayList<>();
            int good = 0;
            int low = 0;
            for (int w = 0; w < length; w++) {
                boolean isGood = random.nextBoolean();
                int digit = 1 + random.nextInt(4);
                words.add((isGood ? "g" : "b") + digit);
                good += isGood ? 1 : 0;
                low += digit <= 2 ? 1 : 0;
            }
            double goodShare = (double) good / length;
            Map<String, Double> ratings = new LinkedHashMap<>();
            ratings.put("helpfulness", 4 * goodShare);
            if (i % 3 != 2) {
                ratings.put("correctness", 4.0 * low / length);
                ratings.put("complexity", 2.0);
            }
            ratings.put("coherence", 4 - 4 * goodShare);
            ratings.put("verbosity", 4 * (1 - goodShare));
            records.add(new RatedResponse("r" + i, List.of(Turn.user("q" + (i % 4))), String.join(" ", words),
                    ratings));
        }
        return records;
    }

    /** Creates and encodes {@code count} records for {@code targets}. */
    static List<EncodedRated> encoded(int count, long seed, RegressionTargets targets) {
        return encoder(targets).encode(records(count, seed)).examples();
    }

    /** Returns an encoder over the toy tokenizer and the bare template, max length 64. */
    static RatedEncoder encoder(RegressionTargets targets) {
        return new RatedEncoder(ToyData.TOKENIZER, new BareTemplate(), targets, 64, TruncationMode.FILTER);
    }

    /** Creates a toy model with one output per slot of {@code targets}. */
    static ToyAttributeModel model(RegressionTargets targets, long seed) {
        return new ToyAttributeModel(ToyData.TOKENIZER.vocabSize(), 8, targets.headSpec(), seed);
    }
}
