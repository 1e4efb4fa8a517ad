package org.rlhf4j.algorithms.policy.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.eval.PairwiseEvaluator;
import org.rlhf4j.algorithms.eval.PairwiseReport;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.reward.PairEncoder;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.models.chat.PlainChatTemplate;
import org.rlhf4j.models.generate.GenerationResult;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.rlhf4j.models.tokenizer.SentencePieceTokenizer;

/**
 * Scoring of one reply given as text and as pre-tokenized ids. The text path renders the reply
 * with the chat template and encodes it with BOS. The ids path starts from prompt ids that already
 * hold BOS, followed by the reply's ids, as after generation. Both must give one BOS and one score.
 */
class PreTokenizedScoringTest {

    private static final List<Turn> PROMPT = List.of(Turn.user("Tell me a story about a cat."));
    private static final String REPLY = "The cat sat in the sun and was happy.";

    @Test
    void preTokenizedPromptScoresLikeText() throws IOException {
        PlainChatTemplate template = new PlainChatTemplate();
        try (LlamaRewardModel model = BundledPolicy.rewardModel(7)) {
            SentencePieceTokenizer tokenizer = model.tokenizer();
            int[] fromText = new PairEncoder(tokenizer, template, 512, TruncationMode.FILTER)
                    .encodeSequence(PROMPT, REPLY);
            int[] promptIds = tokenizer.encodeWithSpecials(template.promptPrefix(PROMPT), true, false);
            // The reply as a policy with "." as its stop token samples it: ended, without EOS.
            int[] replyIds = tokenizer.encode(REPLY);
            GenerationResult sample = new GenerationResult(promptIds, replyIds, new float[replyIds.length],
                    new float[replyIds.length], true, false, new float[0][]);
            RewardModelSource source = RewardModelSource.reencoding("rm", model, tokenizer, template, 4);

            int[] fromIds = source.modelInput(sample);
            double idScore = source.score(List.of(sample))[0];
            PairwiseReport textScore = new PairwiseEvaluator(model, 4, PaddingSide.RIGHT, tokenizer.padId())
                    .evaluate(List.of(new EncodedPair("p", fromText, new int[] {tokenizer.bosId(), 5,
                        tokenizer.eosId()}, 1, null)));

            assertThat(promptIds[0]).isEqualTo(tokenizer.bosId());
            assertThat(Arrays.stream(fromIds).filter(id -> id == tokenizer.bosId()).count()).isEqualTo(1);
            assertThat(fromIds).isEqualTo(fromText);
            // Same ids. The text path scores them in a padded batch of two rows, hence the tolerance.
            assertThat(idScore).isCloseTo(textScore.chosenScores()[0], within(1e-5));
        }
    }

    @Test
    void appendedIdsDifferFromWholeText() throws IOException {
        PlainChatTemplate template = new PlainChatTemplate();
        try (LlamaRewardModel model = BundledPolicy.rewardModel(7)) {
            SentencePieceTokenizer tokenizer = model.tokenizer();
            int[] promptIds = tokenizer.encodeWithSpecials(template.promptPrefix(PROMPT), true, false);
            int[] whole = tokenizer.encodeWithSpecials(template.promptPrefix(PROMPT) + REPLY, true, false);

            // "Assistant: " alone ends in a lone space piece, which the whole text merges into "The".
            assertThat(tokenizer.piece(promptIds[promptIds.length - 1])).isEqualTo("\u2581");
            assertThat(Arrays.copyOf(whole, promptIds.length)).isNotEqualTo(promptIds);
        }
    }
}
