package org.rlhf4j.api.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * Per-token log-probabilities of the two responses of a batch of preference pairs, under the
 * policy being trained and under the frozen reference policy.
 *
 * <p>Row {@code i} of every array belongs to pair {@code i}. A token column counts only where its
 * mask is 1: the masks select the response tokens, so prompt tokens and padding are masked out,
 * and the log-probability values there are ignored (they may be any finite number). The entry for
 * a response token is {@code log pi(token | every token before it)}. The chosen and rejected
 * arrays may have different numbers of columns.
 *
 * @param policyChosen log-probabilities of the chosen responses under the policy, shape
 *     {@code [pairs, chosenTokens]}, float32; differentiable when the policy is trained
 * @param policyRejected log-probabilities of the rejected responses under the policy, shape
 *     {@code [pairs, rejectedTokens]}, float32
 * @param referenceChosen log-probabilities of the chosen responses under the reference, same
 *     shape as {@code policyChosen}
 * @param referenceRejected log-probabilities of the rejected responses under the reference, same
 *     shape as {@code policyRejected}
 * @param chosenMask 1 at response tokens of the chosen responses and 0 elsewhere, same shape as
 *     {@code policyChosen}, any numeric type
 * @param rejectedMask 1 at response tokens of the rejected responses and 0 elsewhere, same shape
 *     as {@code policyRejected}, any numeric type
 * @param magnitude preference magnitude of each pair, shape {@code [pairs]}, float32; 1 for data
 *     sets without magnitudes
 */
public record PreferenceLogProbs(NDArray policyChosen, NDArray policyRejected, NDArray referenceChosen,
        NDArray referenceRejected, NDArray chosenMask, NDArray rejectedMask, NDArray magnitude) {

    public PreferenceLogProbs {
        Objects.requireNonNull(policyChosen, "policyChosen");
        Objects.requireNonNull(policyRejected, "policyRejected");
        Objects.requireNonNull(referenceChosen, "referenceChosen");
        Objects.requireNonNull(referenceRejected, "referenceRejected");
        Objects.requireNonNull(chosenMask, "chosenMask");
        Objects.requireNonNull(rejectedMask, "rejectedMask");
        Objects.requireNonNull(magnitude, "magnitude");
        Shape chosen = policyChosen.getShape();
        Shape rejected = policyRejected.getShape();
        if (chosen.dimension() != 2 || rejected.dimension() != 2 || chosen.get(0) != rejected.get(0)) {
            throw new IllegalArgumentException("policyChosen and policyRejected must be [pairs, tokens] arrays with"
                    + " the same number of rows, got " + chosen + " and " + rejected);
        }
        requireShape("referenceChosen", referenceChosen, chosen);
        requireShape("chosenMask", chosenMask, chosen);
        requireShape("referenceRejected", referenceRejected, rejected);
        requireShape("rejectedMask", rejectedMask, rejected);
        requireShape("magnitude", magnitude, new Shape(chosen.get(0)));
    }

    private static void requireShape(String name, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(name + " has shape " + array.getShape() + ", expected " + expected);
        }
    }

    /** Returns the number of pairs in the batch. */
    public long pairs() {
        return policyChosen.getShape().get(0);
    }
}
