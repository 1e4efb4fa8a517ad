package org.rlhf4j.algorithms.policy.online;

import ai.djl.Device;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.BundledModels;
import org.rlhf4j.models.chat.PlainChatTemplate;
import org.rlhf4j.models.gguf.GgufFile;
import org.rlhf4j.models.llama.LlamaModel;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.reward.RewardHeadSpec;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;

/**
 * The bundled stories260K model and real prompts: the {@code instruction} field of the bundled
 * instruction-preference file, rendered as {@code "User: {instruction}\nAssistant: "} with BOS.
 * Tests that use it are skipped when the files are absent.
 */
final class BundledPolicy {

    /** Id of the piece {@code "."} in the stories260K vocabulary. */
    static final int PERIOD = 426;
    /** Id of the piece {@code "▁the"} (the word "the" after a space) in the stories260K vocabulary. */
    static final int THE = 265;

    private static final String PROMPTS = "datasets/instruction-preference/instruction-data-with-preference.json";

    private BundledPolicy() {}

    static Path gguf() {
        Optional<Path> file = BundledModels.stories260K();
        Assumptions.assumeTrue(file.isPresent(), "stories260K.gguf not found under bundled/"
                + BundledModels.STORIES_260K);
        return file.get();
    }

    static LlamaModel policy() throws IOException {
        return LlamaModel.fromGguf(GgufFile.open(gguf()), Device.cpu());
    }

    static LlamaRewardModel rewardModel(long seed) throws IOException {
        return LlamaRewardModel.fromGguf(gguf(), RewardHeadSpec.scalar(), seed, Device.cpu());
    }

    static SentencePieceTokenizer tokenizer() throws IOException {
        return SentencePieceTokenizer.fromGguf(GgufFile.open(gguf()));
    }

    /**
     * Returns encoded prompts from the bundled file, in file order, skipping instructions that
     * encode to more than {@code maxTokens} tokens.
     */
    static List<int[]> prompts(int from, int count, int maxTokens) throws IOException {
        Optional<Path> file = BundledModels.find(PROMPTS);
        Assumptions.assumeTrue(file.isPresent(), "instruction-data-with-preference.json not found under bundled/"
                + PROMPTS);
        SentencePieceTokenizer tokenizer = tokenizer();
        PlainChatTemplate template = new PlainChatTemplate();
        List<int[]> prompts = new ArrayList<>();
        int seen = 0;
        try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
            for (JsonElement element : JsonParser.parseReader(reader).getAsJsonArray()) {
                String instruction = element.getAsJsonObject().get("instruction").getAsString();
                int[] ids = tokenizer.encodeWithSpecials(template.promptPrefix(List.of(Turn.user(instruction))), true,
                        false);
                if (ids.length > maxTokens) {
                    continue;
                }
                if (seen++ >= from) {
                    prompts.add(ids);
                }
                if (prompts.size() == count) {
                    break;
                }
            }
        }
        return prompts;
    }
}
