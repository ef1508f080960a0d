package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Sample;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Adaptive IMLE (Minervini, Franceschi and Niepert, AAAI-23, Algorithm 1): IMLE whose step is not a
 * hyper-parameter but {@code lambda = alpha * ||theta|| / ||dy||} (Eq. 8), with alpha adapted after
 * every backward pass so that the number of non-zero gradient entries tracks a target c:
 *
 * <pre>
 *   D_i   = MAP(theta + lambda*dy_i + eps_i) - MAP(theta - lambda*dy_i + eps_i)      (central)
 *         = z_i - MAP(theta - lambda*dy_i + eps_i)                                  (forward)
 *   g     = mean_i D_i / (2*lambda)   (central)   or   mean_i D_i / lambda   (forward)
 *   gbar  &lt;- gamma * gbar + (1 - gamma) * ||D||_0 / units                              (Eq. 9)
 *   alpha &lt;- controller(alpha, gbar, c)          (the paper: max(0, alpha +/- eta), Eq. 10)
 * </pre>
 *
 * <p><b>The unit of c.</b> By default ({@link TargetUnit#SOLVER}) c counts per the unit the solver
 * declares ({@link dev.aimle.api.MapSolver#naturalUnit()}): top-k declares rows, a shortest path or
 * a spanning tree the whole instance. With {@link TargetUnit#ROW} c counts non-zeros per row of the
 * solver's last axis in each sample: for theta {@code [B, 20, 20]} (the DVAE's 20 top-k rows of 20)
 * c = 1 asks for one flip per row, as the reference code does by reshaping theta to
 * {@code [B*20, 20]}, and as the paper's experiments use it; {@code units = B*S*rows}. With
 * {@link TargetUnit#INSTANCE}, c counts per sample of a whole instance, {@code units = B*S}: for a
 * path over a 12 x 12 grid, c = 1 asks for one changed cell per path, not one per row of 12. For
 * {@code [B, n]} all agree.
 *
 * <p><b>lambda.</b> {@link LambdaRule#BATCH} (the default, the reference code's): one lambda, both
 * norms over the whole batch with theta repeated S times like dy, so
 * {@code ||lambda*dy|| = alpha*||theta_repeated||}; the same lambda perturbs and rescales. (The
 * reference rescales with the norm of theta before repetition while it perturbs with the repeated
 * one, so for S &gt; 1 its gradient comes out sqrt(S) too large; this class does not reproduce that.)
 * {@link LambdaRule#PER_INPUT} is Algorithm 1 as printed: per input b,
 * {@code lambda_b = alpha * mean_i ||theta_b|| / ||dy_{b,i}||} over its samples (samples with
 * {@code dy = 0} are left out of the mean; lambda_b = 0 if all are).
 *
 * <p><b>Options</b> beyond the defaults: gradient scaling off (the difference is not divided by
 * lambda), momentum for the sign controller (the reference's {@code beta_update_momentum}), another
 * controller ({@link RpropController}). A padding mask given to the forward pass leaves masked
 * positions out of {@code ||theta||}, {@code ||dy||} and the non-zeros. For a minimising solver the
 * targets move along {@code +dy} and g changes sign.
 *
 * <p><b>Defaults</b> are the paper's: c = 1 per the solver's unit (per row for top-k), eta = 1e-3, gamma = 0.9, alpha0 = 0, gbar0 = 1,
 * the sign rule with {@code <= c}. {@link Builder#referencePreset()} gives the reference code's
 * eta = 1e-4, alpha0 = 1. {@code lambda = 0} (alpha = 0, or dy = 0) gives an all-zero gradient,
 * never NaN.
 *
 * <p><b>State</b> (alpha, gbar, steps, lastLambda and the controller's) is read with {@link #state()}
 * and restored with {@link #restoreState(Map)}. <b>Thread-safety:</b> backward passes are serialised
 * on this instance (a lock); for reproducible training use one instance per model.
 */
public final class Aimle extends PerturbAndMapEstimator {

    /** What the target c counts non-zeros per. */
    public enum TargetUnit {
        /**
         * Per the unit the solver declares, {@link dev.aimle.api.MapSolver#naturalUnit()} (the
         * default): per row for top-k (the paper's experiments), per instance for a path or a tree.
         */
        SOLVER,
        /** Per row of the solver's last axis in each sample, whatever the solver declares. */
        ROW,
        /** Per sample of a whole instance, whatever the solver declares. */
        INSTANCE
    }

    /** How lambda is derived from alpha (Eq. 8). */
    public enum LambdaRule {
        /** One lambda from the norms over the whole batch (the default; the reference code). */
        BATCH,
        /** One lambda per input, the mean over its samples of the norm ratios (Algorithm 1 as printed). */
        PER_INPUT
    }

    private static final String[] OWN_KEYS = {"alpha", "gbar", "steps", "lastLambda"};

    private final FiniteDifference difference;
    private final double target;
    private final TargetUnit targetUnit;
    private final double gamma;
    private final double alpha0;
    private final LambdaRule lambdaRule;
    private final boolean scaleGradient;
    private final AlphaController controller;

    private double alpha;
    private double gbar;
    private long steps;
    private double lastLambda;

    private Aimle(Builder b, AlphaController controller, double alpha0) {
        super(b.hostArithmetic);
        this.difference = b.difference;
        this.target = b.target;
        this.targetUnit = b.targetUnit;
        this.gamma = b.gamma;
        this.alpha0 = alpha0;
        this.lambdaRule = b.lambdaRule;
        this.scaleGradient = b.scaleGradient;
        this.controller = controller;
        this.alpha = alpha0;
        this.gbar = b.gbar0;
    }

    /** A builder with the paper's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "aimle";
    }

    /** Whether the central difference is used (else the forward one). */
    public boolean isCentral() {
        return difference == FiniteDifference.CENTRAL;
    }

    /** The current alpha. */
    public synchronized double alpha() {
        return alpha;
    }

    /** The current moving average of non-zeros per unit ({@link TargetUnit}). */
    public synchronized double gbar() {
        return gbar;
    }

    /** The lambda of the last backward pass (the mean over inputs for {@link LambdaRule#PER_INPUT}). */
    public synchronized double lastLambda() {
        return lastLambda;
    }

    /** The number of backward passes so far. */
    public synchronized long steps() {
        return steps;
    }

    @Override
    protected synchronized NDArray estimate(Sample sample, NDArray dy, NDArray mask) {
        NDArray thetaRepeated = SampleLayout.repeat(sample.theta(), sample.samples());
        NDArray maskedTheta = mask == null ? thetaRepeated : thetaRepeated.mul(mask.toType(DataType.FLOAT32, false));
        int sign = senseSign(sample.perturbation());
        NDArray gradient;
        long nonZeros;
        double meanLambda;
        if (lambdaRule == LambdaRule.BATCH) {
            // One host scalar: the same operations as IMLE with that lambda.
            double thetaNorm = requireFiniteNorm("||theta||", maskedTheta.norm().getFloat());
            double dyNorm = requireFiniteNorm("||dL/dz||", dy.norm().getFloat());
            double lambda = lambda(thetaNorm, dyNorm);
            meanLambda = lambda;
            if (lambda == 0) {
                gradient = dy.zerosLike();
                nonZeros = 0;
            } else {
                NDArray d =
                        FiniteDifferences.difference(sample, thetaRepeated, Scalars.mul(dy, lambda), mask, difference);
                nonZeros = d.countNonzero().getLong();
                gradient = Scalars.div(d, sign * (scaleGradient ? lambda : 1) * difference.divisor());
            }
        } else {
            NDArray lambda = perInputLambda(maskedTheta, dy, sample.samples());
            meanLambda = lambda.mean().getFloat();
            NDArray d = FiniteDifferences.difference(sample, thetaRepeated, dy.mul(lambda), mask, difference);
            nonZeros = d.countNonzero().getLong();
            // Where lambda = 0 the two targets coincide, so D = 0 and 0 / tiny = 0, not NaN.
            NDArray divisor = scaleGradient ? Scalars.maximum(lambda, Float.MIN_NORMAL) : lambda.onesLike();
            gradient = d.div(Scalars.mul(divisor, sign * difference.divisor()));
        }
        update(meanLambda, nonZeros, dy.getShape(), sample);
        return gradient;
    }

    @Override
    protected synchronized float[] estimateOnHost(Sample sample, HostInputs in) {
        if (lambdaRule != LambdaRule.BATCH) {
            return null;
        }
        // ||theta repeated S times|| = sqrt(S) ||theta||; summed in double, held as the engine holds it
        double thetaNorm = requireFiniteNorm("||theta||", (float) Math.sqrt(sample.samples() * in.thetaSquares()));
        double dyNorm = requireFiniteNorm("||dL/dz||", (float) Math.sqrt(in.dySquares()));
        double lambda = lambda(thetaNorm, dyNorm);
        float[] gradient;
        long nonZeros = 0;
        if (lambda == 0) {
            gradient = new float[in.dy().length];
        } else {
            float divisor =
                    (float) (senseSign(sample.perturbation()) * (scaleGradient ? lambda : 1) * difference.divisor());
            FiniteDifferences.HostEstimate estimate =
                    FiniteDifferences.estimateOnHost(sample, in, lambda, difference, divisor);
            gradient = estimate.gradient();
            nonZeros = estimate.nonZeros();
        }
        update(lambda, nonZeros, sample.z().getShape(), sample);
        return gradient;
    }

    /** {@code alpha * ||theta|| / ||dy||}, 0 when {@code ||dy|| = 0}, refusing an overflow. */
    private double lambda(double thetaNorm, double dyNorm) {
        double lambda = dyNorm > 0 ? alpha * thetaNorm / dyNorm : 0;
        if (!Double.isFinite(lambda)) {
            throw new ArithmeticException("AIMLE's lambda = alpha (" + alpha + ") * ||theta|| (" + thetaNorm
                    + ") / ||dL/dz|| (" + dyNorm + ") overflowed");
        }
        return lambda;
    }

    /** The state update after a backward pass (Eq. 9 and the controller). */
    private void update(double meanLambda, long nonZeros, Shape samples, Sample sample) {
        lastLambda = meanLambda;
        gbar = gamma * gbar + (1 - gamma) * nonZeros / units(samples, unitFor(sample));
        alpha = controller.next(alpha, gbar, target);
        steps++;
    }

    /**
     * The L2 norm of finite values, which float32 can still overflow (entries near 1e19 and above):
     * reported as such rather than turned into a silent lambda of 0 or NaN.
     */
    private static double requireFiniteNorm(String name, float norm) {
        if (!Double.isFinite(norm)) {
            throw new ArithmeticException(name + " overflows float32 (" + norm + "); AIMLE's lambda needs it."
                    + " Maybe the scores or the loss are scaled far beyond 1e18");
        }
        return norm;
    }

    /** The unit c counts per for this sample's solver: {@link TargetUnit#ROW} or {@link TargetUnit#INSTANCE}. */
    private TargetUnit unitFor(Sample sample) {
        if (targetUnit != TargetUnit.SOLVER) {
            return targetUnit;
        }
        return sample.perturbation().solver().naturalUnit() == MapSolver.Unit.INSTANCE
                ? TargetUnit.INSTANCE
                : TargetUnit.ROW;
    }

    /** What c counts per: B*S samples, times the rows of the last axis for {@link TargetUnit#ROW}. */
    private static double units(Shape samples, TargetUnit unit) {
        long units = samples.get(0);
        if (unit == TargetUnit.ROW && samples.dimension() > 2) {
            units *= samples.slice(1, samples.dimension() - 1).size();
        }
        return Math.max(1, units);
    }

    /**
     * {@code lambda_b = alpha * mean_i ||theta_b|| / ||dy_{b,i}||} per input over the samples with
     * {@code dy != 0}, shaped {@code [B*S, 1, ...]} to broadcast against dy.
     */
    private NDArray perInputLambda(NDArray maskedThetaRepeated, NDArray dy, int samples) {
        long rows = dy.getShape().get(0);
        NDArray thetaNorms = maskedThetaRepeated.reshape(rows, -1).norm(new int[] {1});
        NDArray dyNorms = dy.reshape(rows, -1).norm(new int[] {1});
        // Divide by 1 where ||dy_i|| = 0 and leave the sample out: a tiny divisor would overflow.
        NDArray nonZero = dyNorms.gt(0).toType(DataType.FLOAT32, false);
        NDArray ratios = thetaNorms.div(dyNorms.add(nonZero.neg().add(1))).mul(nonZero);
        NDArray sums = ratios.reshape(rows / samples, samples).sum(new int[] {1});
        NDArray counts = nonZero.reshape(rows / samples, samples).sum(new int[] {1});
        NDArray perInput = Scalars.mul(sums.div(Scalars.maximum(counts, 1)), alpha);
        Shape broadcast = new Shape(rows);
        for (int i = 1; i < dy.getShape().dimension(); i++) {
            broadcast = broadcast.add(1);
        }
        return SampleLayout.repeat(perInput, samples).reshape(broadcast);
    }

    @Override
    public synchronized Map<String, Double> state() {
        Map<String, Double> state = new HashMap<>();
        state.put("alpha", alpha);
        state.put("gbar", gbar);
        state.put("steps", (double) steps);
        state.put("lastLambda", lastLambda);
        controller.state().forEach((k, v) -> state.put("controller." + k, v));
        return Map.copyOf(state);
    }

    @Override
    public synchronized void restoreState(Map<String, Double> state) {
        for (String key : OWN_KEYS) {
            Double v = state.get(key);
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "AIMLE state needs a finite '" + key + "', got " + v + " in " + state.keySet());
            }
        }
        if (state.get("alpha") < 0 || state.get("steps") < 0) {
            throw new IllegalArgumentException("AIMLE state has negative alpha or steps: " + state);
        }
        Map<String, Double> controllerState = new HashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("controller.")) {
                controllerState.put(k.substring("controller.".length()), v);
            } else if (!Arrays.asList(OWN_KEYS).contains(k)) {
                throw new IllegalArgumentException("unknown AIMLE state key '" + k + "'");
            }
        });
        controller.restoreState(controllerState);
        alpha = state.get("alpha");
        gbar = state.get("gbar");
        steps = state.get("steps").longValue();
        lastLambda = state.get("lastLambda");
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "AIMLE(%s, c=%s per %s, gamma=%s, alpha0=%s, controller=%s, lambda=%s%s)",
                difference.label(),
                target,
                targetUnit.name().toLowerCase(Locale.ROOT),
                gamma,
                alpha0,
                controller,
                lambdaRule.name().toLowerCase(Locale.ROOT),
                scaleGradient ? "" : ", unscaled");
    }

    /**
     * Builds {@link Aimle} estimators, starting from the paper's defaults. Calls commute: a setter
     * called twice keeps its last value, a preset only fills what was not set explicitly, and
     * settings that contradict each other ({@link #eta} or {@link #momentum} with a controller other
     * than the sign rule) fail in {@link #build()}.
     */
    public static final class Builder {
        private FiniteDifference difference = FiniteDifference.FORWARD;
        private double target = 1.0;
        private TargetUnit targetUnit = TargetUnit.SOLVER;
        private double gamma = 0.9;
        private Double alpha0;
        private double gbar0 = 1.0;
        private LambdaRule lambdaRule = LambdaRule.BATCH;
        private boolean scaleGradient = true;
        private AlphaController controller;
        private Double eta;
        private Double momentum;
        private boolean referencePreset;

        private boolean hostArithmetic = true;

        private Builder() {}

        /** False keeps every operation in the engine even on the CPU (tests compare the two paths). */
        Builder hostArithmetic(boolean value) {
            this.hostArithmetic = value;
            return this;
        }

        /** Central difference (Algorithm 1). */
        public Builder central() {
            this.difference = FiniteDifference.CENTRAL;
            return this;
        }

        /** Forward difference (Eq. 2; the default). */
        public Builder forward() {
            this.difference = FiniteDifference.FORWARD;
            return this;
        }

        Builder difference(FiniteDifference value) {
            this.difference = value;
            return this;
        }

        /** {@code forward} or {@code central}. */
        public Builder difference(String value) {
            this.difference = FiniteDifference.parse(value);
            return this;
        }

        /** The target c of non-zero gradient entries per {@link #targetUnit unit} (default 1). */
        public Builder target(double c) {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("target c (" + c + ") must be a finite number greater than 0");
            }
            this.target = c;
            return this;
        }

        /** What c counts per (default {@link TargetUnit#SOLVER}: the unit the solver declares). */
        public Builder targetUnit(TargetUnit value) {
            this.targetUnit = Objects.requireNonNull(value, "targetUnit");
            return this;
        }

        /** The sign controller's step eta (default 1e-3; 1e-4 with the reference preset). */
        public Builder eta(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("eta (" + value + ") must be a finite number greater than 0");
            }
            this.eta = value;
            return this;
        }

        /** The sign controller's momentum, in [0, 1) (default 0). */
        public Builder momentum(double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException("momentum (" + value + ") must be in [0, 1)");
            }
            this.momentum = value;
            return this;
        }

        /** The discount of the moving average, in (0, 1] (default 0.9). */
        public Builder gamma(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new IllegalArgumentException("gamma (" + value + ") must be in (0, 1]");
            }
            this.gamma = value;
            return this;
        }

        /**
         * The initial alpha, at least 0 (default 0; 1 with the reference preset or a controller that
         * scales alpha).
         */
        public Builder alpha0(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("alpha0 (" + value + ") must be a finite number at least 0");
            }
            this.alpha0 = value;
            return this;
        }

        /** The initial moving average, at least 0 (default 1). */
        public Builder gbar0(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("gbar0 (" + value + ") must be a finite number at least 0");
            }
            this.gbar0 = value;
            return this;
        }

        /** How lambda follows from alpha (default {@link LambdaRule#BATCH}). */
        public Builder lambdaRule(LambdaRule value) {
            this.lambdaRule = Objects.requireNonNull(value, "lambdaRule");
            return this;
        }

        /** Whether to divide the difference by lambda (default true). */
        public Builder scaleGradient(boolean value) {
            this.scaleGradient = value;
            return this;
        }

        /** A controller other than the paper's sign rule, e.g. {@link RpropController#withDefaults()}. */
        public Builder controller(AlphaController value) {
            this.controller = Objects.requireNonNull(value, "controller");
            return this;
        }

        /**
         * The reference implementation's defaults, eta = 1e-4 and alpha0 = 1 (its
         * AdaptiveTargetDistribution), for whatever is not set explicitly.
         */
        public Builder referencePreset() {
            this.referencePreset = true;
            return this;
        }

        /**
         * The estimator.
         *
         * @throws IllegalArgumentException if eta or momentum is combined with another controller, or
         *     alpha0 = 0 with a controller that scales alpha
         */
        public Aimle build() {
            AlphaController chosen;
            if (controller != null) {
                if (eta != null || momentum != null) {
                    throw new IllegalArgumentException("eta and momentum configure the sign controller; they cannot be"
                            + " combined with controller(" + controller.name() + ")");
                }
                chosen = controller.copy();
            } else {
                chosen = new SignController(
                        eta != null ? eta : referencePreset ? 1e-4 : 1e-3, momentum != null ? momentum : 0);
            }
            double start = alpha0 != null ? alpha0 : referencePreset || chosen.requiresPositiveAlpha() ? 1.0 : 0.0;
            if (chosen.requiresPositiveAlpha() && start == 0) {
                throw new IllegalArgumentException("alpha0 (0.0) must be greater than 0 with the " + chosen.name()
                        + " controller, which scales alpha");
            }
            return new Aimle(this, chosen, start);
        }
    }
}
