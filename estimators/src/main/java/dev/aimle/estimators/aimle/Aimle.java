package dev.aimle.estimators.aimle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.FiniteDifference;
import dev.aimle.estimators.ImleDifferences;
import dev.aimle.estimators.PerturbAndMapEstimator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Adaptive IMLE (Minervini, Franceschi and Niepert, AAAI-23, Algorithm 1): IMLE whose step is not a
 * hyper-parameter but {@code lambda = alpha * ||theta|| / ||dy||} (Eq. 8), with alpha adapted after
 * every backward pass so that the number of non-zero gradient entries per sample tracks a target c:
 *
 * <pre>
 *   D_i   = MAP(theta + lambda*dy_i + eps_i) - MAP(theta - lambda*dy_i + eps_i)      (central)
 *         = z_i - MAP(theta - lambda*dy_i + eps_i)                                  (forward)
 *   g     = mean_i D_i / (2*lambda)   (central)   or   mean_i D_i / lambda   (forward)
 *   gbar <- gamma * gbar + (1 - gamma) * (1/(B*S)) * sum_i ||D_i||_0                (Eq. 9)
 *   alpha <- controller(alpha, gbar, c)          (the paper: max(0, alpha +/- eta), Eq. 10)
 * </pre>
 *
 * <p><b>Norms.</b> Both norms are taken over the whole batch (as the reference implementation does),
 * with theta repeated S times like dy, so {@code ||lambda*dy|| = alpha*||theta_repeated||}: the
 * perturbation is a fraction alpha of theta per sample whatever S is. The same lambda perturbs and
 * rescales. (The reference implementation rescales with the norm of theta before repetition while it
 * perturbs with the repeated one, so for S &gt; 1 its gradient comes out sqrt(S) too large; this class
 * does not reproduce that.) {@link NormScope#INSTANCE} instead takes the norms per instance (each
 * instance b gets {@code lambda_b = alpha*||theta_b repeated||/||dy_b||}), beyond the paper.
 *
 * <p><b>Defaults</b> are the paper's: c = 1, eta = 1e-3, gamma = 0.9, alpha0 = 0, gbar0 = 1, the sign
 * controller. {@link Builder#referencePreset()} gives the reference code's eta = 1e-4, alpha0 = 1.
 * {@code lambda = 0} (alpha = 0, or dy = 0) gives an all-zero gradient, never NaN.
 *
 * <p><b>State</b> (alpha, gbar, steps, lastLambda and the controller's) is read with {@link #state()}
 * and restored with {@link #restoreState(Map)}. <b>Thread-safety:</b> backward passes are serialised
 * on this instance (a lock), so concurrent use is safe; for reproducible training use one instance
 * per model.
 */
public final class Aimle extends PerturbAndMapEstimator {

    /** Over which elements the norms of Eq. 8 are taken. */
    public enum NormScope {
        /** One lambda for the whole batch (the paper and the reference code). */
        BATCH,
        /** One lambda per instance (beyond the paper). */
        INSTANCE
    }

    private final FiniteDifference difference;
    private final double target;
    private final double gamma;
    private final double alpha0;
    private final double gbar0;
    private final NormScope normScope;
    private final AlphaController controller;

    private double alpha;
    private double gbar;
    private long steps;
    private double lastLambda;

    private Aimle(Builder b) {
        this.difference = b.difference;
        this.target = b.target;
        this.gamma = b.gamma;
        this.alpha0 = b.alpha0;
        this.gbar0 = b.gbar0;
        this.normScope = b.normScope;
        this.controller = b.controller.copy();
        this.alpha = alpha0;
        this.gbar = gbar0;
    }

    /** A builder with the paper's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "aimle";
    }

    /** Forward or central. */
    public FiniteDifference difference() {
        return difference;
    }

    /** The current alpha. */
    public synchronized double alpha() {
        return alpha;
    }

    /** The current moving average of non-zeros per sample. */
    public synchronized double gbar() {
        return gbar;
    }

    /** The lambda of the last backward pass (the mean over instances for {@link NormScope#INSTANCE}). */
    public synchronized double lastLambda() {
        return lastLambda;
    }

    /** The number of backward passes so far. */
    public synchronized long steps() {
        return steps;
    }

    @Override
    protected synchronized NDArray estimate(
            Sample sample, Perturbation perturbation, Downstream downstream, NDManager scope) {
        NDArray dy = downstream.gradient();
        NDArray thetaRepeated = repeat(sample.theta(), sample.samples());
        NDArray gradient;
        long nonZeros;
        double meanLambda;
        if (normScope == NormScope.BATCH) {
            // One host scalar: the same operations as IMLE with that lambda.
            double dyNorm = dy.norm().getFloat();
            double lambda = dyNorm > 0 ? alpha * Math.sqrt(sample.samples()) * sample.theta().norm().getFloat() / dyNorm : 0;
            meanLambda = lambda;
            if (lambda == 0) {
                gradient = dy.zerosLike();
                nonZeros = 0;
            } else {
                NDArray d = ImleDifferences.difference(sample, perturbation, thetaRepeated, dy.mul(lambda), difference);
                nonZeros = d.countNonzero().getLong();
                gradient = d.div(lambda * difference.divisor());
            }
        } else {
            NDArray lambda = instanceLambda(sample, dy);
            meanLambda = lambda.mean().getFloat();
            NDArray d = ImleDifferences.difference(sample, perturbation, thetaRepeated, dy.mul(lambda), difference);
            nonZeros = d.countNonzero().getLong();
            // Where lambda = 0 the two targets coincide, so D = 0 and 0 / tiny = 0, not NaN.
            gradient = d.div(lambda.maximum(Float.MIN_NORMAL).mul(difference.divisor()));
        }
        double nnzPerSample = nonZeros / (double) dy.getShape().get(0);
        lastLambda = meanLambda;
        gbar = gamma * gbar + (1 - gamma) * nnzPerSample;
        alpha = controller.next(alpha, gbar, target);
        steps++;
        return gradient;
    }

    /**
     * {@code lambda_b = alpha * ||theta_b repeated S times|| / ||dy_b||} per instance (0 where
     * {@code dy_b = 0}), shaped {@code [B*S, 1, ...]} to broadcast against dy.
     */
    private NDArray instanceLambda(Sample sample, NDArray dy) {
        NDArray theta = sample.theta();
        int s = sample.samples();
        long b = theta.getShape().get(0);
        NDArray thetaNorms = theta.reshape(b, -1).norm(new int[] {1}).mul(Math.sqrt(s));
        NDArray dyNorms = dy.reshape(b, -1).norm(new int[] {1});
        // Divide by 1 where ||dy_b|| = 0 (then multiply by 0): a tiny divisor would overflow to Inf and Inf * 0 is NaN.
        NDArray zero = dyNorms.eq(0);
        NDArray safe = dyNorms.add(zero.toType(DataType.FLOAT32, false));
        NDArray perInstance = thetaNorms.mul(alpha).div(safe).mul(zero.logicalNot());
        Shape broadcast = new Shape(b * s);
        for (int i = 1; i < dy.getShape().dimension(); i++) {
            broadcast = broadcast.add(1);
        }
        return perInstance.repeat(0, s).reshape(broadcast);
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
        for (String key : new String[] {"alpha", "gbar", "steps", "lastLambda"}) {
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
            } else if (!k.equals("alpha") && !k.equals("gbar") && !k.equals("steps") && !k.equals("lastLambda")) {
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
        return String.format(Locale.ROOT, "AIMLE(%s, c=%s, gamma=%s, alpha0=%s, controller=%s, norm=%s)",
                difference.name().toLowerCase(Locale.ROOT), target, gamma, alpha0, controller.name(),
                normScope.name().toLowerCase(Locale.ROOT));
    }

    /** Builds {@link Aimle} estimators; starts from the paper's defaults. */
    public static final class Builder {
        private FiniteDifference difference = FiniteDifference.FORWARD;
        private double target = 1.0;
        private double gamma = 0.9;
        private double alpha0 = 0.0;
        private double gbar0 = 1.0;
        private NormScope normScope = NormScope.BATCH;
        private AlphaController controller = new SignController(1e-3);

        private Builder() {}

        /** Forward or central difference (default forward). */
        public Builder difference(FiniteDifference value) {
            this.difference = Objects.requireNonNull(value, "difference");
            return this;
        }

        /** Central difference (Algorithm 1). */
        public Builder central() {
            return difference(FiniteDifference.CENTRAL);
        }

        /** Forward difference (Eq. 2). */
        public Builder forward() {
            return difference(FiniteDifference.FORWARD);
        }

        /** The target c of non-zero gradient entries per sample (default 1). */
        public Builder target(double c) {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("target c (" + c + ") must be a finite number greater than 0");
            }
            this.target = c;
            return this;
        }

        /** The paper's sign controller with step eta (default 1e-3). */
        public Builder eta(double eta) {
            this.controller = new SignController(eta);
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

        /** The initial alpha, at least 0 (default 0). */
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

        /** Batch (default) or per-instance norms. */
        public Builder normScope(NormScope value) {
            this.normScope = Objects.requireNonNull(value, "normScope");
            return this;
        }

        /** The alpha controller (default: the paper's sign rule with eta = 1e-3). */
        public Builder controller(AlphaController value) {
            this.controller = Objects.requireNonNull(value, "controller");
            return this;
        }

        /**
         * The reference implementation's variant: eta = 1e-4 and alpha0 = 1 (its
         * AdaptiveTargetDistribution defaults), instead of the paper's eta = 1e-3, alpha0 = 0.
         */
        public Builder referencePreset() {
            return eta(1e-4).alpha0(1.0);
        }

        /** The estimator. */
        public Aimle build() {
            if (controller.requiresPositiveAlpha() && alpha0 == 0) {
                throw new IllegalArgumentException(
                        "alpha0 (0.0) must be greater than 0 with the " + controller.name()
                                + " controller, which scales alpha");
            }
            return new Aimle(this);
        }
    }
}
