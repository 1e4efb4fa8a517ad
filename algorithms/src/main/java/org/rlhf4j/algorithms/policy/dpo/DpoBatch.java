package org.rlhf4j.algorithms.policy.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.rlhf4j.algorithms.reward.EncodedPair;
import org.rlhf4j.algorithms.reward.PaddedBatch;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.api.policy.PreferenceLogProbs;
import org.rlhf4j.models.generate.LogProbs;
import org.rlhf4j.models.llama.LlamaModel;

/**
 * Runs the policy and the reference over a batch of DPO examples and collects the per-token
 * log-probabilities with response masks.
 *
 * <p>The chosen and rejected sequences go through one forward pass per model as the rows of a
 * {@link PaddedBatch}. Column {@code t} of the log-probability arrays belongs to the token at
 * column {@code t + 1} of the batch, predicted from the logits at column {@code t}; the mask is 1
 * exactly where that token is a response token, so prompt tokens and padding never count.
 */
final class DpoBatch {

    private DpoBatch() {
    }

    /**
     * Computes the log-probabilities of a batch.
     *
     * @param policy the policy; its log-probabilities stay in the autograd graph
     * @param reference the frozen reference; its log-probabilities are detached
     * @param examples the examples, at least one
     * @param side where the batch is padded
     * @param padId the token id at padded positions
     * @param manager the manager of the forward passes and the results
     * @return the log-probabilities, masks and magnitudes
     */
    static PreferenceLogProbs logProbs(LlamaModel policy, LlamaModel reference, List<DpoExample> examples,
            PaddingSide side, int padId, NDManager manager) {
        List<EncodedPair> pairs = examples.stream().map(DpoExample::pair).toList();
        PaddedBatch batch = PaddedBatch.of(pairs, side, padId);
        NDArray ids = batch.idsArray(manager);
        NDArray mask = batch.maskArray(manager);
        NDArray policyLogProbs = LogProbs.tokenLogProbs(policy, ids, mask);
        NDArray referenceLogProbs = LogProbs.tokenLogProbs(reference, ids, mask).stopGradient();
        NDArray targets = manager.create(targetMask(examples, batch.length(), side),
                new Shape(batch.rows(), batch.length() - 1L));
        String chosenRows = "0:" + batch.pairs();
        String rejectedRows = batch.pairs() + ":";
        return new PreferenceLogProbs(policyLogProbs.get(chosenRows), policyLogProbs.get(rejectedRows),
                referenceLogProbs.get(chosenRows), referenceLogProbs.get(rejectedRows), targets.get(chosenRows),
                targets.get(rejectedRows), batch.magnitudeArray(manager));
    }

    /**
     * Builds the response mask over the shifted columns, shape {@code [2 * pairs, length - 1]}:
     * chosen rows first, then rejected rows, in the layout of {@link PaddedBatch}.
     */
    static float[] targetMask(List<DpoExample> examples, int length, PaddingSide side) {
        int pairs = examples.size();
        int width = length - 1;
        float[] mask = new float[2 * pairs * width];
        for (int i = 0; i < pairs; i++) {
            DpoExample example = examples.get(i);
            markResponse(mask, i, width, length, example.pair().chosen().length, example.chosenPromptLength(), side);
            markResponse(mask, pairs + i, width, length, example.pair().rejected().length,
                    example.rejectedPromptLength(), side);
        }
        return mask;
    }

    private static void markResponse(float[] mask, int row, int width, int length, int sequenceLength,
            int promptLength, PaddingSide side) {
        int start = side == PaddingSide.LEFT ? length - sequenceLength : 0;
        // Response tokens sit at columns [start + promptLength, start + sequenceLength). The
        // log-probability of each one is in the shifted column before it.
        for (int column = start + promptLength; column < start + sequenceLength; column++) {
            mask[row * width + column - 1] = 1f;
        }
    }
}
