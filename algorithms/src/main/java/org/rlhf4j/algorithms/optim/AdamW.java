package org.rlhf4j.algorithms.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), with the same update as PyTorch's
 * {@code torch.optim.AdamW}.
 *
 * <p>For optimizer step {@code t} (1-based), learning rate {@code lr} and gradient {@code g}, each
 * parameter {@code p} is updated as:
 *
 * <pre>
 * p = p - lr * weightDecay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)</pre>
 *
 * <p>The moments {@code m} and {@code v} are float32 arrays kept in a manager of their own, a
 * child of the first parameter's manager, which {@link #close()} releases. Gradients of another
 * type are converted to float32, and the update is converted back to the parameter's type.
 * Parameters are updated in place through a detached view, so the update never enters an
 * autograd graph. Instances are not thread-safe.
 */
public final class AdamW implements AutoCloseable {

    /** Default decay rate of the first moment: 0.9. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** Default decay rate of the second moment: 0.999. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** Default term added to the denominator: 1e-8. */
    public static final double DEFAULT_EPSILON = 1e-8;
    /** Default decoupled weight decay: 0.0 (off). */
    public static final double DEFAULT_WEIGHT_DECAY = 0.0;

    /** Suffix of the first-moment entries in {@link #state()}. */
    public static final String FIRST_MOMENT_SUFFIX = ".exp_avg";
    /** Suffix of the second-moment entries in {@link #state()}. */
    public static final String SECOND_MOMENT_SUFFIX = ".exp_avg_sq";

    private final Map<String, NDArray> parameters;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long stepCount;

    private AdamW(Builder builder, Map<String, NDArray> parameters) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("AdamW needs at least one parameter, got none");
        }
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.weightDecay = builder.weightDecay;
        this.manager = this.parameters.values().iterator().next().getManager().newSubManager();
        this.manager.setName("adamw-state");
        for (Map.Entry<String, NDArray> entry : this.parameters.entrySet()) {
            NDArray parameter = entry.getValue();
            firstMoments.put(entry.getKey(), zerosLike(parameter));
            secondMoments.put(entry.getKey(), zerosLike(parameter));
        }
    }

    /** Returns a builder with the default hyper-parameters. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies one update to every parameter.
     *
     * @param gradients gradient of each parameter, by the same names as the parameters; the arrays
     *     are only read, and stay attached to their own manager
     * @param learningRate the learning rate of this step, at least 0
     * @throws IllegalArgumentException when a gradient is missing, has another shape than its
     *     parameter, or the learning rate is negative or not finite
     */
    public void step(Map<String, NDArray> gradients, double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0, got " + learningRate);
        }
        for (String name : parameters.keySet()) {
            NDArray gradient = gradients.get(name);
            if (gradient == null) {
                throw new IllegalArgumentException("No gradient for parameter '" + name + "'");
            }
            if (!gradient.getShape().equals(parameters.get(name).getShape())) {
                throw new IllegalArgumentException("Gradient of '" + name + "' has shape " + gradient.getShape()
                        + " but the parameter has shape " + parameters.get(name).getShape());
            }
        }
        stepCount++;
        double biasCorrection1 = 1 - Math.pow(beta1, stepCount);
        double biasCorrection2 = 1 - Math.pow(beta2, stepCount);
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            String name = entry.getKey();
            update(entry.getValue(), gradients.get(name), name, learningRate, biasCorrection1, biasCorrection2);
        }
    }

    private void update(NDArray parameter, NDArray gradient, String name, double learningRate,
            double biasCorrection1, double biasCorrection2) {
        NDArray m = firstMoments.get(name);
        NDArray v = secondMoments.get(name);
        // Results of operations join the manager of their first operand, here the scope, which
        // closes them. tempAttach hands m, v and the caller's gradient back to their managers.
        try (NDManager scope = manager.newSubManager()) {
            m.tempAttach(scope);
            v.tempAttach(scope);
            gradient.tempAttach(scope);
            NDArray view = parameter.stopGradient();
            view.attach(scope);
            NDArray g = gradient.toType(DataType.FLOAT32, false);
            if (weightDecay != 0) {
                view.muli((float) (1 - learningRate * weightDecay));
            }
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
            NDArray denominator = v.sqrt().divi((float) Math.sqrt(biasCorrection2)).addi((float) epsilon);
            NDArray step = m.div(denominator).muli((float) (learningRate / biasCorrection1));
            view.subi(step.toType(view.getDataType(), false));
        }
    }

    /** Returns the number of steps taken so far (including steps restored by {@link #loadState}). */
    public long stepCount() {
        return stepCount;
    }

    /**
     * Returns the live moment arrays for checkpointing, named {@code <parameter>.exp_avg} and
     * {@code <parameter>.exp_avg_sq}. The arrays stay owned by this optimizer: copy them before
     * the next {@link #step} if a snapshot is needed, and never close them.
     *
     * @return an unmodifiable map in parameter order, first moment before second moment
     */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (String name : parameters.keySet()) {
            state.put(name + FIRST_MOMENT_SUFFIX, firstMoments.get(name));
            state.put(name + SECOND_MOMENT_SUFFIX, secondMoments.get(name));
        }
        return Collections.unmodifiableMap(state);
    }

    /**
     * Restores the moments and the step count saved from {@link #state()} and {@link #stepCount()}.
     * Values are copied into this optimizer's arrays; the given arrays are not kept.
     *
     * @param state moments by the names {@link #state()} uses; every entry must be present
     * @param steps the step count at the time the state was saved, at least 0
     * @throws IllegalArgumentException when an entry is missing or has the wrong shape
     */
    public void loadState(Map<String, NDArray> state, long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        for (Map.Entry<String, NDArray> entry : state().entrySet()) {
            NDArray saved = state.get(entry.getKey());
            if (saved == null) {
                throw new IllegalArgumentException("Optimizer state has no entry '" + entry.getKey() + "'");
            }
            if (!saved.getShape().equals(entry.getValue().getShape())) {
                throw new IllegalArgumentException("Optimizer state '" + entry.getKey() + "' has shape "
                        + saved.getShape() + ", expected " + entry.getValue().getShape());
            }
        }
        for (Map.Entry<String, NDArray> entry : state().entrySet()) {
            copyInto(state.get(entry.getKey()), entry.getValue());
        }
        stepCount = steps;
    }

    /** Returns the decay rate of the first moment. */
    public double beta1() {
        return beta1;
    }

    /** Returns the decay rate of the second moment. */
    public double beta2() {
        return beta2;
    }

    /** Returns the term added to the denominator. */
    public double epsilon() {
        return epsilon;
    }

    /** Returns the decoupled weight decay. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Releases the moment arrays. The parameters are not touched. */
    @Override
    public void close() {
        manager.close();
    }

    private NDArray zerosLike(NDArray parameter) {
        return manager.zeros(parameter.getShape(), DataType.FLOAT32, parameter.getDevice());
    }

    private void copyInto(NDArray source, NDArray target) {
        try (NDManager scope = manager.newSubManager()) {
            source.tempAttach(scope);
            NDArray converted = source.toType(DataType.FLOAT32, false).toDevice(target.getDevice(), false);
            target.muli(0f).addi(converted);
        }
    }

    /** Collects the hyper-parameters of an {@link AdamW} optimizer and validates each one. */
    public static final class Builder {

        private double beta1 = DEFAULT_BETA1;
        private double beta2 = DEFAULT_BETA2;
        private double epsilon = DEFAULT_EPSILON;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;

        private Builder() {}

        /**
         * Sets the decay rates of the first and second moments.
         *
         * @param firstMoment decay of the gradient average, in [0, 1); default 0.9
         * @param secondMoment decay of the squared-gradient average, in [0, 1); default 0.999
         * @return this builder
         * @throws IllegalArgumentException when a value is outside [0, 1)
         */
        public Builder betas(double firstMoment, double secondMoment) {
            this.beta1 = requireBeta("beta1", firstMoment);
            this.beta2 = requireBeta("beta2", secondMoment);
            return this;
        }

        /**
         * Sets the term added to the denominator for numerical stability.
         *
         * @param value a positive number; default 1e-8
         * @return this builder
         * @throws IllegalArgumentException when the value is not positive and finite
         */
        public Builder epsilon(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("epsilon must be positive and finite, got " + value);
            }
            this.epsilon = value;
            return this;
        }

        /**
         * Sets the decoupled weight decay: each step multiplies a parameter by
         * {@code 1 - lr * weightDecay} before the Adam update.
         *
         * @param value at least 0; default 0.0 (off)
         * @return this builder
         * @throws IllegalArgumentException when the value is negative or not finite
         */
        public Builder weightDecay(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + value);
            }
            this.weightDecay = value;
            return this;
        }

        /**
         * Creates an optimizer over the given parameters with zero moments and step count 0.
         *
         * @param parameters the live parameters by name, updated in place by {@link AdamW#step}
         * @return a new optimizer that the caller must close
         * @throws IllegalArgumentException when {@code parameters} is empty
         */
        public AdamW build(Map<String, NDArray> parameters) {
            return new AdamW(this, Objects.requireNonNull(parameters, "parameters"));
        }

        private static double requireBeta(String name, double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
            }
            return value;
        }
    }
}
