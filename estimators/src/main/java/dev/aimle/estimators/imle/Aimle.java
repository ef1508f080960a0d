package dev.aimle.estimators.imle;

import dev.aimle.api.Sample;
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
 * (The one statement of these lines in code is the package's {@code Algorithm1}.)
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

    /** What an AIMLE estimator is configured with ({@link Algorithm1} reads it). */
    record Settings(
            FiniteDifference difference,
            double target,
            TargetUnit targetUnit,
            double gamma,
            LambdaRule lambdaRule,
            boolean scaleGradient,
            AlphaController controller) {}

    private final Settings settings;
    private final double alpha0;
    private final Algorithm1.Adaptation adaptation = new Algorithm1.Adaptation();

    private Aimle(Builder b, AlphaController controller, double alpha0) {
        super(b.hostArithmetic);
        this.settings =
                new Settings(b.difference, b.target, b.targetUnit, b.gamma, b.lambdaRule, b.scaleGradient, controller);
        this.alpha0 = alpha0;
        adaptation.alpha = alpha0;
        adaptation.gbar = b.gbar0;
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
        return settings.difference() == FiniteDifference.CENTRAL;
    }

    /** The current alpha. */
    public synchronized double alpha() {
        return adaptation.alpha;
    }

    /** The current moving average of non-zeros per unit ({@link TargetUnit}). */
    public synchronized double gbar() {
        return adaptation.gbar;
    }

    /** The lambda of the last backward pass (the mean over inputs for {@link LambdaRule#PER_INPUT}). */
    public synchronized double lastLambda() {
        return adaptation.lastLambda;
    }

    /** The number of backward passes so far. */
    public synchronized long steps() {
        return adaptation.steps;
    }

    @Override
    synchronized <A> A estimate(Kernel<A> kernel, Sample sample) {
        return Algorithm1.adaptiveEstimate(kernel, sample, settings, adaptation);
    }

    /** The host kernel computes one lambda per batch, so {@link LambdaRule#PER_INPUT} runs in the engine. */
    @Override
    boolean hostKernelFits() {
        return settings.lambdaRule() == LambdaRule.BATCH;
    }

    @Override
    public synchronized Map<String, Double> state() {
        Map<String, Double> state = new HashMap<>();
        state.put("alpha", adaptation.alpha);
        state.put("gbar", adaptation.gbar);
        state.put("steps", (double) adaptation.steps);
        state.put("lastLambda", adaptation.lastLambda);
        settings.controller().state().forEach((k, v) -> state.put("controller." + k, v));
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
        settings.controller().restoreState(controllerState);
        adaptation.alpha = state.get("alpha");
        adaptation.gbar = state.get("gbar");
        adaptation.steps = state.get("steps").longValue();
        adaptation.lastLambda = state.get("lastLambda");
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "AIMLE(%s, c=%s per %s, gamma=%s, alpha0=%s, controller=%s, lambda=%s%s)",
                settings.difference().label(),
                settings.target(),
                settings.targetUnit().name().toLowerCase(Locale.ROOT),
                settings.gamma(),
                alpha0,
                settings.controller(),
                settings.lambdaRule().name().toLowerCase(Locale.ROOT),
                settings.scaleGradient() ? "" : ", unscaled");
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
            this.eta = SignController.requireEta(value);
            return this;
        }

        /** The sign controller's momentum, in [0, 1) (default 0). */
        public Builder momentum(double value) {
            this.momentum = SignController.requireMomentum(value);
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
