package org.rlhf4j.algorithms.policy;

/**
 * Thrown when a policy-training run stops because a loss, a KL estimate or a gradient norm became
 * NaN or infinite. The message names the quantity, its value and the step; the optimizer update
 * of that step was not applied.
 */
public final class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String quantity;
    private final double value;
    private final long step;

    /**
     * Creates the exception.
     *
     * @param quantity what became non-finite, for example {@code "loss"} or {@code "gradient norm"}
     * @param value the non-finite value
     * @param step the 1-based optimizer step
     * @param hint what the user can do, one sentence
     */
    public TrainingDivergedException(String quantity, double value, long step, String hint) {
        super("The " + quantity + " is " + value + " at step " + step + ", so training stopped before the update. "
                + hint);
        this.quantity = quantity;
        this.value = value;
        this.step = step;
    }

    /**
     * Throws when {@code value} is NaN or infinite.
     *
     * @param quantity what the value is, for the message
     * @param value the value to check
     * @param step the 1-based optimizer step
     * @param hint what the user can do, one sentence
     * @throws TrainingDivergedException when the value is not finite
     */
    public static void requireFinite(String quantity, double value, long step, String hint) {
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException(quantity, value, step, hint);
        }
    }

    /** Returns what became non-finite. */
    public String quantity() {
        return quantity;
    }

    /** Returns the non-finite value. */
    public double value() {
        return value;
    }

    /** Returns the 1-based optimizer step. */
    public long step() {
        return step;
    }
}
