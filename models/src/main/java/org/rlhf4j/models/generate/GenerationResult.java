package org.rlhf4j.models.generate;

import java.util.Arrays;
import java.util.Objects;

/**
 * One generated sequence: the prompt, the sampled response tokens and their log-probabilities.
 *
 * <p>{@code responseIds} are exactly the tokens that were sampled, in order. A response is never
 * changed after sampling: one cut at the token limit keeps its last sampled token and has
 * {@code truncated} set, and no end-of-sequence token is written into it. A caller that needs an
 * end-of-sequence token for reward scoring adds it to the reward model's input only, for example
 * with {@link #sequenceWithEos(int)}.
 *
 * <p>{@code logProbs[t]} is {@code log softmax(logits)[responseIds[t]]} of the raw logits, at
 * temperature 1 and without top-k or top-p: the log-probability of the token under the unmodified
 * policy, which is what training recomputes (for example as the old log-probability of PPO).
 * {@code samplingLogProbs[t]} is the log-probability under the distribution the token was actually
 * drawn from, after temperature, top-k and top-p; it is 0 for greedy decoding.
 *
 * <p>The arrays are copied on construction, and the accessors return the record's own arrays,
 * which callers must not change.
 *
 * @param promptIds the prompt tokens, without padding
 * @param responseIds the sampled tokens; the last one is the end-of-sequence id when
 *     {@code endedWithEos} is set
 * @param logProbs per-token log-probabilities under the unmodified policy, same length as
 *     {@code responseIds}
 * @param samplingLogProbs per-token log-probabilities under the sampling distribution, same length
 *     as {@code responseIds}
 * @param endedWithEos whether generation stopped because the sequence sampled the end-of-sequence id
 * @param truncated whether generation stopped at the token limit (the maximum of new tokens or the
 *     model's context length) without an end-of-sequence token; always the opposite of
 *     {@code endedWithEos}
 * @param logits the raw logits of every step, {@code [responseIds.length][vocab]}, when the config
 *     asked to keep them, else an empty array
 */
public record GenerationResult(int[] promptIds, int[] responseIds, float[] logProbs, float[] samplingLogProbs,
        boolean endedWithEos, boolean truncated, float[][] logits) {

    public GenerationResult {
        Objects.requireNonNull(promptIds, "promptIds");
        Objects.requireNonNull(responseIds, "responseIds");
        Objects.requireNonNull(logProbs, "logProbs");
        Objects.requireNonNull(samplingLogProbs, "samplingLogProbs");
        Objects.requireNonNull(logits, "logits");
        if (logProbs.length != responseIds.length || samplingLogProbs.length != responseIds.length) {
            throw new IllegalArgumentException("logProbs (" + logProbs.length + ") and samplingLogProbs ("
                    + samplingLogProbs.length + ") must have one entry per response token (" + responseIds.length
                    + ")");
        }
        if (logits.length != 0 && logits.length != responseIds.length) {
            throw new IllegalArgumentException("logits must be empty or have one row per response token, got "
                    + logits.length + " rows for " + responseIds.length + " tokens");
        }
        if (endedWithEos == truncated) {
            throw new IllegalArgumentException("exactly one of endedWithEos and truncated must be set, got "
                    + endedWithEos + " and " + truncated);
        }
        promptIds = promptIds.clone();
        responseIds = responseIds.clone();
        logProbs = logProbs.clone();
        samplingLogProbs = samplingLogProbs.clone();
        logits = Arrays.stream(logits).map(float[]::clone).toArray(float[][]::new);
    }

    /** Returns the number of response tokens. */
    public int responseLength() {
        return responseIds.length;
    }

    /** Returns the sum of {@link #logProbs()}, the log-probability of the whole response under the policy. */
    public double sumLogProbs() {
        double sum = 0;
        for (float logProb : logProbs) {
            sum += logProb;
        }
        return sum;
    }

    /** Returns a new array with the prompt followed by the response. */
    public int[] sequence() {
        int[] sequence = Arrays.copyOf(promptIds, promptIds.length + responseIds.length);
        System.arraycopy(responseIds, 0, sequence, promptIds.length, responseIds.length);
        return sequence;
    }

    /**
     * Returns a new array with the prompt and the response, followed by {@code eosId} when the
     * response did not end with it, for a reward model that reads its score at an end-of-sequence
     * token. The response itself is not changed.
     *
     * @param eosId the end-of-sequence id of the reward model's tokenizer
     * @return the reward model's input ids
     */
    public int[] sequenceWithEos(int eosId) {
        int[] sequence = sequence();
        boolean endsWithEos = responseIds.length > 0 && responseIds[responseIds.length - 1] == eosId;
        if (endsWithEos) {
            return sequence;
        }
        int[] extended = Arrays.copyOf(sequence, sequence.length + 1);
        extended[sequence.length] = eosId;
        return extended;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GenerationResult that
                && Arrays.equals(promptIds, that.promptIds)
                && Arrays.equals(responseIds, that.responseIds)
                && Arrays.equals(logProbs, that.logProbs)
                && Arrays.equals(samplingLogProbs, that.samplingLogProbs)
                && endedWithEos == that.endedWithEos
                && truncated == that.truncated
                && Arrays.deepEquals(logits, that.logits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(promptIds), Arrays.hashCode(responseIds), Arrays.hashCode(logProbs),
                Arrays.hashCode(samplingLogProbs), endedWithEos, truncated, Arrays.deepHashCode(logits));
    }

    @Override
    public String toString() {
        return "GenerationResult[promptIds=" + Arrays.toString(promptIds) + ", responseIds="
                + Arrays.toString(responseIds) + ", sumLogProbs=" + sumLogProbs() + ", endedWithEos=" + endedWithEos
                + ", truncated=" + truncated + "]";
    }
}
