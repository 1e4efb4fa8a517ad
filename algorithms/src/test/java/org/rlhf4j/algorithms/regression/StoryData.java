package org.rlhf4j.algorithms.regression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.Turn;

/**
 * A small rated set in the simple English the stories260K model was trained on. Kind responses get
 * high HelpSteer2 ratings and unkind ones low ratings.
 */
final class StoryData {

    private static final List<String> PROMPTS = List.of("Tell me about your day.", "What did the cat do?",
            "Say something to your friend.", "What happened at the park?");
    private static final List<String> KIND = List.of("The little cat was happy and shared her toy.",
            "Lily smiled and helped her friend find the ball.", "Tom gave his mom a big hug and said thank you.",
            "We played in the sun and laughed all day.", "The dog was kind and let the bird sing.",
            "Mia said sorry and they were friends again.");
    private static final List<String> UNKIND = List.of("The boy broke the toy and ran away.",
            "Ben was mad and threw the cake on the floor.", "The cat hit the dog and did not say sorry.",
            "She took the ball and made her friend cry.", "He yelled at the bird and it flew away scared.",
            "They were mean and left Sam alone in the rain.");

    private StoryData() {
    }

    /** Returns {@code count} rated responses, alternating kind and unkind responses. */
    static List<RatedResponse> rated(int count) {
        List<RatedResponse> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean kind = i % 2 == 0;
            List<String> answers = kind ? KIND : UNKIND;
            Map<String, Double> ratings = new LinkedHashMap<>();
            ratings.put("helpfulness", kind ? 4.0 : 0.0);
            ratings.put("correctness", kind ? 3.0 : 1.0);
            ratings.put("coherence", kind ? 4.0 : 2.0);
            ratings.put("complexity", 1.0);
            ratings.put("verbosity", kind ? 2.0 : 1.0);
            records.add(new RatedResponse("story-" + i, List.of(Turn.user(PROMPTS.get(i % PROMPTS.size()))),
                    answers.get((i / 2) % answers.size()), ratings));
        }
        return records;
    }

    /** Returns {@code count} pairs that prefer a kind response over an unkind one. */
    static List<PreferencePair> pairs(int count) {
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pairs.add(new PreferencePair("pair-" + i, List.of(Turn.user(PROMPTS.get(i % PROMPTS.size()))),
                    KIND.get(i % KIND.size()), UNKIND.get((i + 1) % UNKIND.size()), 1 + i % 3, null));
        }
        return pairs;
    }
}
