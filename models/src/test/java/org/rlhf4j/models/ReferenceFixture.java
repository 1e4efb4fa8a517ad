package org.rlhf4j.models;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The NumPy reference outputs of stories260K, written by {@code src/test/python/reference_forward.py}
 * to {@code fixtures/stories260K_reference.json}.
 *
 * @param prompt the prompt whose logits are stored
 * @param promptIds its ids, BOS first
 * @param logits the full logits of the last positions of the prompt, one row per position
 * @param storyPrompt the prompt of the greedy continuation
 * @param storyPromptIds its ids, BOS first
 * @param storyNewIds the greedily generated ids
 * @param storyText the decoded prompt plus continuation
 * @param tokenizerCases texts with their reference ids
 */
public record ReferenceFixture(String prompt, int[] promptIds, double[][] logits, String storyPrompt,
        int[] storyPromptIds, int[] storyNewIds, String storyText, List<TokenizerCase> tokenizerCases) {

    /** A text and the ids the Python tokenizer gives it. */
    public record TokenizerCase(String text, int[] ids) {
    }

    /** Reads the fixture from the test resources. */
    public static ReferenceFixture load() throws IOException {
        JsonObject json;
        try (InputStream in = ReferenceFixture.class.getResourceAsStream("/fixtures/stories260K_reference.json")) {
            if (in == null) {
                throw new IOException("test resource fixtures/stories260K_reference.json is missing");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                json = JsonParser.parseReader(reader).getAsJsonObject();
            }
        }
        JsonArray rows = json.getAsJsonArray("logits");
        double[][] logits = new double[rows.size()][];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = rows.get(i).getAsJsonArray().asList().stream().mapToDouble(JsonElement::getAsDouble).toArray();
        }
        List<TokenizerCase> cases = new ArrayList<>();
        for (JsonElement element : json.getAsJsonArray("tokenizer_cases")) {
            JsonObject testCase = element.getAsJsonObject();
            cases.add(new TokenizerCase(testCase.get("text").getAsString(), ints(testCase, "ids")));
        }
        return new ReferenceFixture(json.get("prompt").getAsString(), ints(json, "prompt_ids"), logits,
                json.get("story_prompt").getAsString(), ints(json, "story_prompt_ids"), ints(json, "story_new_ids"),
                json.get("story_text").getAsString(), cases);
    }

    private static int[] ints(JsonObject json, String field) {
        return json.getAsJsonArray(field).asList().stream().mapToInt(JsonElement::getAsInt).toArray();
    }
}
