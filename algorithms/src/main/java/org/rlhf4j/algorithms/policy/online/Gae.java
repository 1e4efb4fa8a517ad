package org.rlhf4j.algorithms.policy.online;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Generalized advantage estimation (Schulman et al., 2016) over response tokens.
 *
 * <p>Going backwards over the masked positions of a row,
 * {@code delta_t = r_t + gamma * V_{t+1} - V_t} and
 * {@code A_t = delta_t + gamma * lambda * A_{t+1}}, with {@code V} and {@code A} taken as 0 after
 * the last masked position; returns are {@code A_t + V_t}. The last response token is thus
 * terminal, also for a truncated sample, as in NeMo-Aligner. Unmasked positions get advantage and
 * return 0 and reset the recursion. The computation runs on the host in double precision.
 */
public final class Gae {

    /** Default discount factor: 1.0. */
    public static final double DEFAULT_GAMMA = 1.0;
    /** Default GAE lambda: 0.95. */
    public static final double DEFAULT_LAMBDA = 0.95;

    private Gae() {}

    /**
     * Per-token advantages and returns.
     *
     * @param advantages float32 advantages, shape [B, T]
     * @param returns float32 returns {@code advantages + values}, shape [B, T]
     */
    public record Result(NDArray advantages, NDArray returns) {}

    /**
     * Computes advantages and returns.
     *
     * @param rewards per-token rewards, shape [B, T]
     * @param values value estimates of the critic at each token, shape [B, T]
     * @param mask 1 at response tokens and 0 at padding, shape [B, T]
     * @param gamma discount factor in [0, 1]
     * @param lambda GAE lambda in [0, 1]
     * @return float32 advantages and returns, attached to the manager of {@code rewards}
     * @throws IllegalArgumentException when the shapes disagree or gamma or lambda is outside [0, 1]
     */
    public static Result compute(NDArray rewards, NDArray values, NDArray mask, double gamma, double lambda) {
        Checks.unitInterval("gamma", gamma);
        Checks.unitInterval("lambda", lambda);
        Shape shape = rewards.getShape();
        if (shape.dimension() != 2 || !values.getShape().equals(shape) || !mask.getShape().equals(shape)) {
            throw new IllegalArgumentException("rewards, values and mask must share one [B, T] shape, got " + shape
                    + ", " + values.getShape() + " and " + mask.getShape());
        }

        int batch = (int) shape.get(0);
        int length = (int) shape.get(1);
        double[] r = rewards.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] v = values.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] m = mask.toType(DataType.FLOAT64, false).toDoubleArray();

        float[] advantages = new float[batch * length];
        float[] returns = new float[batch * length];
        for (int row = 0; row < batch; row++) {
            double nextValue = 0;
            double nextAdvantage = 0;
            for (int t = length - 1; t >= 0; t--) {
                int at = row * length + t;
                if (m[at] <= 0) {
                    nextValue = 0;
                    nextAdvantage = 0;
                    continue;
                }
                double delta = r[at] + gamma * nextValue - v[at];
                double advantage = delta + gamma * lambda * nextAdvantage;
                advantages[at] = (float) advantage;
                returns[at] = (float) (advantage + v[at]);
                nextValue = v[at];
                nextAdvantage = advantage;
            }
        }

        return new Result(rewards.getManager().create(advantages, shape), rewards.getManager().create(returns, shape));
    }
}
