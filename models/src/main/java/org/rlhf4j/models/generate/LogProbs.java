package org.rlhf4j.models.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.rlhf4j.models.llama.LlamaModel;

/**
 * Computes per-token log-probabilities of given tokens under a {@link LlamaModel}, the policy or a
 * frozen reference, in one forward pass.
 *
 * <p>The label shift: the log-probability of the token at column {@code t} comes from the logits
 * at column {@code t - 1}, which have seen every token before it, so the first column of a
 * sequence gets no log-probability. Values are {@code log_softmax(logits)} in float32 at the
 * chosen tokens. The arrays returned by the {@code NDArray} methods are attached to the manager
 * of the input ids (or the given manager) and stay in the autograd graph when computed inside a
 * gradient collector with parameters that require gradients.
 */
public final class LogProbs {

    private LogProbs() {
    }

    /**
     * Computes the log-probability of every token after the first given the tokens before it.
     *
     * @param model the model
     * @param ids token ids, int32 or int64, shape {@code [B, T]} with {@code T >= 2}
     * @param mask 1 at real tokens and 0 at padding, shape {@code [B, T]}; {@code null} means no padding
     * @return float32 array of shape {@code [B, T - 1]} whose entry {@code (b, t)} is
     *     {@code log p(ids[b, t + 1] | ids[b, 0..t])}; entries at padded targets are finite but
     *     meaningless, so callers mask them
     * @throws IllegalArgumentException when {@code T < 2} or the inputs are invalid for the model
     */
    public static NDArray tokenLogProbs(LlamaModel model, NDArray ids, NDArray mask) {
        long length = ids.getShape().dimension() == 2 ? ids.getShape().get(1) : 0;
        if (length < 2) {
            throw new IllegalArgumentException("ids must have shape [batch, length] with length >= 2 to have a"
                    + " token after the first, got " + ids.getShape());
        }
        NDArray logits = model.logits(ids, mask);
        NDArray predicting = logits.get(":, :-1, :");
        NDArray targets = ids.get(":, 1:").toType(DataType.INT64, false);
        return gatherLogProbs(predicting, targets);
    }

    /**
     * Computes the log-probability of every response token of a batch under a model.
     *
     * @param model the model
     * @param batch the prompts and responses
     * @param manager the manager of the forward pass and of the result
     * @return float32 array of shape {@code [rows, responseColumns]}: entry {@code (i, t)} is the
     *     log-probability of response token {@code t} of row {@code i} given its prompt and the
     *     response tokens before it, and 0 at padded response slots
     */
    public static NDArray responseLogProbs(LlamaModel model, ResponseBatch batch, NDManager manager) {
        NDArray logits = model.logits(batch.idsArray(manager), batch.maskArray(manager));
        NDArray predicting = batch.alignToResponse(logits);
        NDArray targets = batch.responseIdsArray(manager);
        return gatherLogProbs(predicting, targets).mul(batch.responseMaskArray(manager));
    }

    /**
     * Computes the log-probability of every response token under a model, with no gradient, in a
     * sub-manager of the model's manager that is closed before returning.
     *
     * @param model the model
     * @param prompts the prompt ids, none empty
     * @param responses the response ids, one per prompt
     * @return per row, one log-probability per response token
     */
    public static float[][] responseLogProbs(LlamaModel model, List<int[]> prompts, List<int[]> responses) {
        ResponseBatch batch = ResponseBatch.of(prompts, responses, 0);
        float[] flat;
        try (NDManager scope = model.manager().newSubManager()) {
            flat = responseLogProbs(model, batch, scope).stopGradient().toFloatArray();
        }
        float[][] rows = new float[batch.rows()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[batch.responseLengths()[i]];
            System.arraycopy(flat, i * batch.responseColumns(), rows[i], 0, rows[i].length);
        }
        return rows;
    }

    /**
     * Computes the log-probability of every response token of generated sequences under a model,
     * for example a frozen reference; see {@link #responseLogProbs(LlamaModel, List, List)}.
     *
     * @param model the model
     * @param results the generated sequences
     * @return per result, one log-probability per response token
     */
    public static float[][] forResults(LlamaModel model, List<GenerationResult> results) {
        return responseLogProbs(model, results.stream().map(GenerationResult::promptIds).toList(),
                results.stream().map(GenerationResult::responseIds).toList());
    }

    /** Picks {@code log_softmax(logits)} at the target ids: [B, T, V] and [B, T] give [B, T]. */
    private static NDArray gatherLogProbs(NDArray logits, NDArray targets) {
        NDArray logSoftmax = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
        return logSoftmax.gather(targets.expandDims(-1), -1).squeeze(-1);
    }
}
