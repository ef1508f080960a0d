package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.SampleLayout;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * AIMLE without a warm-up and with a target chosen for the sample count: the {@code calibrated}
 * preset of {@code "aimle"} ({@code preset=calibrated}; the paper's is {@code preset=paper}). It
 * wraps an {@link Aimle} (batch lambda, gamma = 0.9, as the paper) and changes three things; each is
 * measured on its own in the README's variants table.
 *
 * <p><b>1. alpha is calibrated on the first backward pass.</b> The paper starts from alpha = 0 and
 * climbs by eta = 1e-3 per step, so it needs about {@code alpha* / eta} steps (hundreds) before its
 * gradients mean anything. Here the first backward pass searches alpha on that batch, with that
 * batch's noise and downstream gradient: starting from alpha = 1 it doubles (or halves) alpha until
 * the non-zeros per unit cross the target c, then bisects {@value #BISECTIONS} times between the
 * last two values in log scale, and keeps the upper end (the smallest alpha found that reaches c).
 * The non-zero count of each trial is read from the wrapped estimator's moving average, restored to
 * 0 before the trial ({@code gbar = (1 - gamma) * nonZeros / units}). Then the moving average starts
 * at c, where the calibration put it. <b>Cost, once:</b> each trial is one backward pass of the
 * wrapped estimator (one batched solver call of B*S instances, two with the central difference); at
 * most {@value #MAX_DOUBLINGS} + 1 trials bracket c and {@value #BISECTIONS} bisect; from alpha = 1
 * a target within a factor 2^k takes k + 1 + {@value #BISECTIONS} trials (10 to 15 on the
 * synthetic problem, 11 on average), so the first step costs about eleven steps. A first batch
 * with {@code dL/dz = 0} gives no information (lambda = 0 for every alpha): it is passed through
 * and the calibration waits for the next one.
 *
 * <p><b>2. The target depends on S.</b> The step lambda trades bias (a large step moves the target
 * distribution far from the one it stands for) against variance (a small step changes few samples'
 * states, and the estimate is a mean over the few that changed). More samples average out more
 * variance, so the best step shrinks as S grows: for a finite difference whose bias grows as
 * {@code h^k} and whose variance as {@code 1/(S h)}, the best {@code h} scales as
 * {@code S^(-1/(2k+1))}. The paper's c counts non-zeros, which grow with lambda; the rule here is
 *
 * <pre>
 *   central: c(S) = min(1.9, 2.7 * S^(-1/5)),   forward: half of it
 * </pre>
 *
 * non-zeros per unit (per row for top-k, where a changed state is a swap: 2 non-zeros). The
 * exponent 1/5 is the central difference's (k = 2); on the synthetic problem the non-zero count of
 * the best IMLE lambda falls as about S^(-0.2) (n = 10 and 50, S = 10 to 1000: 0.85, 0.55, 0.35
 * changed states per sample, central). c1 = 2.7 lets the central difference change more than every
 * state at S = 1 before the cap (an unchanged state gives a zero gradient). The cap keeps the target
 * within reach: the central difference's two targets move apart in opposite directions, so for a
 * large enough step they always differ, its count reaches 2 per row (a swap), and 1.9 stays just
 * below (at S = 1 a row's count is 0 or 2, and a target of 2 is never exceeded). A target out of
 * reach would push alpha up without end; in case it still is, alpha is also kept within a factor
 * {@value #MAX_DRIFT} of its calibrated value.
 *
 * <p><b>The forward difference takes half the central difference's target</b>, so that it never
 * steps further than the central difference would. Its bias grows as lambda (k = 1) where the
 * central's grows as lambda^2, so at a given S its best step is no larger (on the synthetic problem
 * the best IMLE lambda of forward is at most central's at every n and S measured); and at the same
 * small step one displaced target changes about half the states that two opposite ones change,
 * hence half the count. An earlier rule, {@code min(1.5, 2 * S^(-1/5))}, was chosen on the
 * synthetic problem's single-estimate cosine and asked the forward difference for three times the
 * step (alpha about 7, lambda about 65 on the DVAE at K = 1): 0.1 to 0.2 better in cosine at S up
 * to 10 there, but 9.6 worse in the DVAE's test loss at K = 10 than the paper's c = 1 (the
 * README's "AIMLE calibrated" has both). A single estimate's cosine counts every unit of variance;
 * training averages estimates over steps and over rows, and the forward difference's bias does not
 * average out. c(1) = 0.95 / 1.9, c(10) = 0.85 / 1.70, c(100) = 0.54 / 1.08, c(1000) = 0.34 / 0.68
 * (forward / central).
 *
 * <p><b>3. alpha stays on target with a {@link ProportionalController}</b> (gain {@value #GAIN})
 * instead of the sign rule: with few samples the count of one batch is noisy, and a full step per
 * noisy count (the sign rule's) keeps alpha wandering, where a step in proportion to the error
 * settles on the mean.
 *
 * <p><b>4. Non-zeros are counted per active unit</b>, a unit whose downstream gradient is not all
 * zero: a unit with {@code dL/dz = 0} is not perturbed (lambda * 0) and can never change, so
 * counting it as the paper does makes the target unreachable as training succeeds (a learner whose
 * predictions are mostly right has mostly zero downstream gradients), and alpha then climbs without
 * end. Measured: through a {@code DiscreteLayer} learning a teacher's top-1 (S = 4), the preset
 * counting every unit ended at a held-out error of 0.14 (forward) and 0.66 (central), against 0.06
 * for the paper's AIMLE. The wrapped estimator counts every unit; this class recounts its non-zeros
 * per active unit and takes the controller's step itself.
 *
 * <p>S is the sample count of the first backward pass; a backward pass with another S is refused
 * (the target was chosen for the first). <b>State</b>: the wrapped estimator's (its gbar per active
 * unit), the controller's under {@code steering.}, plus
 * {@code calibrated} (1 once calibrated, so a resumed run does not calibrate again),
 * {@code samples} (the S the target was chosen for, 0 before) and {@code calibratedAlpha} (the
 * centre of alpha's bounds, 0 before). Thread-safety: backward passes are
 * serialised on this instance.
 */
public final class CalibratedAimle implements GradientEstimator {
    /** The central difference's target at S = 1, before the cap. */
    static final double CENTRAL_C1 = 2.7;
    /**
     * The forward difference's target as a share of the central difference's: one displaced target
     * changes half the states two opposite ones change at the same step (see the class comment).
     */
    static final double FORWARD_SHARE = 0.5;
    /** The central difference's largest target: below the 2 non-zeros of one swap. */
    static final double CENTRAL_C_MAX = 1.9;
    /** alpha stays within this factor of its calibrated value, either way. */
    static final double MAX_DRIFT = 1024;
    /** How fast the target falls with S. */
    static final double EXPONENT = 0.2;
    /** Trials that double or halve alpha while bracketing the target, at most. */
    static final int MAX_DOUBLINGS = 20;
    /** Bisections in log scale once the target is bracketed. */
    static final int BISECTIONS = 8;
    /** The gain of the {@link ProportionalController} that keeps alpha on target after the calibration. */
    static final double GAIN = 0.3;
    /** The wrapped estimator's moving-average discount (the paper's). */
    static final double GAMMA = 0.9;

    private static final String CALIBRATED = "calibrated";
    private static final String SAMPLES = "samples";
    private static final String CALIBRATED_ALPHA = "calibratedAlpha";
    private static final String STEERING = "steering.";

    private final FiniteDifference difference;
    private final AlphaController controller;
    private final AlphaController steering;
    private final Double fixedTarget;
    private final boolean calibrate;
    private Aimle inner;
    private int samples;
    private boolean calibrated;
    private double calibratedAlpha;
    private int lastTrials;

    private CalibratedAimle(Builder b) {
        this.difference = b.difference;
        this.controller = b.controller != null ? b.controller : new ProportionalController(GAIN);
        this.steering = controller.copy();
        this.fixedTarget = b.fixedTarget;
        this.calibrate = b.calibrate;
        this.inner = build(target(difference == FiniteDifference.CENTRAL, 1));
    }

    /** The preset with this difference, {@code forward} or {@code central}. */
    public static CalibratedAimle of(String difference) {
        return builder().difference(difference).build();
    }

    /** A builder of the preset (forward difference), with the settings the README's variants compare. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The target c(S) in non-zeros per unit, as the class comment defines it.
     *
     * @param central whether the central difference is used
     * @param samples S, at least 1
     */
    public static double target(boolean central, int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples (" + samples + ") must be at least 1");
        }
        double c = Math.min(CENTRAL_C_MAX, CENTRAL_C1 * Math.pow(samples, -EXPONENT));
        return central ? c : FORWARD_SHARE * c;
    }

    private Aimle build(double target) {
        return Aimle.builder()
                .difference(difference)
                .target(target)
                .gamma(GAMMA)
                .controller(controller)
                .build();
    }

    /** The target for S: the fixed one if set, else c(S). */
    private double targetFor(int s) {
        return fixedTarget != null ? fixedTarget : target(difference == FiniteDifference.CENTRAL, s);
    }

    @Override
    public String name() {
        return "aimle";
    }

    /** Whether alpha has been calibrated. */
    public synchronized boolean isCalibrated() {
        return calibrated;
    }

    /** The S the target was chosen for (0 before the first calibration). */
    public synchronized int samples() {
        return samples;
    }

    /** The current target c (non-zeros per unit). */
    public synchronized double target() {
        return samples == 0 ? Double.NaN : targetFor(samples);
    }

    /** The current alpha. */
    public synchronized double alpha() {
        return inner.alpha();
    }

    /** The backward passes of the wrapped estimator the calibration used (0 before it ran). */
    public synchronized int calibrationTrials() {
        return lastTrials;
    }

    @Override
    public Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        Aimle current;
        synchronized (this) {
            current = inner;
        }
        // The forward pass does not depend on the target: any wrapped estimator gives the same states.
        return current.forward(theta, mask, perturbation, random);
    }

    @Override
    public synchronized NDArray backward(Sample sample, Downstream downstream) {
        if (samples == 0) {
            samples = sample.samples();
            Aimle fresh = build(targetFor(samples));
            fresh.restoreState(inner.state());
            inner = fresh;
        } else if (sample.samples() != samples) {
            throw new IllegalArgumentException("this calibrated AIMLE chose its target for S = " + samples
                    + "; a backward pass with S = " + sample.samples() + " needs its own estimator");
        }
        double share = activeShare(sample, downstream.gradient());
        if (share == 0) {
            // no unit has a downstream gradient: lambda = 0 whatever alpha, nothing to learn from
            return inner.backward(sample, downstream);
        }
        if (calibrate && !calibrated) {
            calibrate(sample, downstream, share);
        }
        double alphaBefore = inner.alpha();
        double gbarBefore = inner.gbar();
        NDArray gradient = inner.backward(sample, downstream);
        // The wrapped estimator counted non-zeros per unit over every unit; recount them per active
        // unit and take the controller's step on that (see the class comment, "active units").
        double perUnit = (inner.gbar() - GAMMA * gbarBefore) / (1 - GAMMA);
        double gbar = GAMMA * gbarBefore + (1 - GAMMA) * perUnit / share;
        double alpha = steering.next(alphaBefore, gbar, target());
        if (calibrated) {
            alpha = Math.max(calibratedAlpha / MAX_DRIFT, Math.min(calibratedAlpha * MAX_DRIFT, alpha));
        }
        Map<String, Double> state = new HashMap<>(inner.state());
        state.put("alpha", alpha);
        state.put("gbar", gbar);
        inner.restoreState(state);
        return gradient;
    }

    /**
     * The share of units with a non-zero downstream gradient (after the padding mask): rows of the
     * last axis, or whole samples for a solver whose unit is the instance, as the wrapped estimator
     * counts them.
     */
    private static double activeShare(Sample sample, NDArray dy) {
        float[] values;
        if (sample.mask() == null) {
            values = dy.toFloatArray();
        } else {
            try (NDManager scope = dy.getManager().newSubManager()) {
                dy.tempAttach(scope);
                sample.mask().tempAttach(scope);
                NDArray mask =
                        SampleLayout.repeat(sample.mask(), sample.samples()).toType(DataType.FLOAT32, false);
                values = dy.mul(mask).toFloatArray();
            }
        }
        long rows = dy.getShape().get(0);
        boolean perInstance = sample.perturbation().solver().naturalUnit() == MapSolver.Unit.INSTANCE;
        int unit = perInstance || dy.getShape().dimension() <= 2
                ? (int) (values.length / Math.max(1, rows))
                : (int) dy.getShape().get(dy.getShape().dimension() - 1);
        if (values.length == 0 || unit == 0) {
            return 0;
        }
        int units = values.length / unit;
        int active = 0;
        for (int u = 0; u < units; u++) {
            for (int i = u * unit; i < (u + 1) * unit; i++) {
                if (values[i] != 0) {
                    active++;
                    break;
                }
            }
        }
        return active / (double) units;
    }

    /** Sets alpha (and gbar = c) so that this batch's non-zeros per unit reach c; see the class comment. */
    private void calibrate(Sample sample, Downstream downstream, double share) {
        Map<String, Double> start = inner.state();
        double c = target();
        lastTrials = 0;
        // low: the largest alpha seen below c (0: none yet); high: the smallest at or above c
        double low = 0;
        double high = Double.POSITIVE_INFINITY;
        if (reaches(1, c, share, start, sample, downstream)) {
            high = 1;
            for (int i = 0; i < MAX_DOUBLINGS && low == 0; i++) {
                double alpha = high / 2;
                if (reaches(alpha, c, share, start, sample, downstream)) {
                    high = alpha;
                } else {
                    low = alpha;
                }
            }
        } else {
            low = 1;
            for (int i = 0; i < MAX_DOUBLINGS && high == Double.POSITIVE_INFINITY; i++) {
                double alpha = low * 2;
                if (reaches(alpha, c, share, start, sample, downstream)) {
                    high = alpha;
                } else {
                    low = alpha;
                }
            }
        }
        if (low > 0 && high < Double.POSITIVE_INFINITY) {
            for (int i = 0; i < BISECTIONS; i++) {
                double middle = Math.sqrt(low * high);
                if (reaches(middle, c, share, start, sample, downstream)) {
                    high = middle;
                } else {
                    low = middle;
                }
            }
        }
        // Unbracketed after MAX_DOUBLINGS (a solver whose states barely move, or always move): the
        // last alpha tried is the closest to the target the search got.
        double chosen = high < Double.POSITIVE_INFINITY ? high : low;
        Map<String, Double> calibratedState = new HashMap<>(start);
        calibratedState.put("alpha", chosen);
        calibratedState.put("gbar", c);
        inner.restoreState(calibratedState);
        calibrated = true;
        calibratedAlpha = chosen;
    }

    /** Whether this batch's non-zeros per active unit reach c with this alpha (one backward pass, undone). */
    private boolean reaches(
            double alpha, double c, double share, Map<String, Double> start, Sample sample, Downstream downstream) {
        Map<String, Double> trial = new HashMap<>(start);
        trial.put("alpha", alpha);
        trial.put("gbar", 0.0);
        inner.restoreState(trial);
        inner.backward(sample, downstream).close();
        lastTrials++;
        // gbar was 0, so it is now (1 - gamma) * nonZeros / units
        double nonZerosPerActiveUnit = inner.gbar() / (1 - GAMMA) / share;
        inner.restoreState(start);
        return nonZerosPerActiveUnit >= c;
    }

    @Override
    public boolean supportsMask() {
        return true;
    }

    @Override
    public synchronized Map<String, Double> state() {
        Map<String, Double> state = new HashMap<>(inner.state());
        state.put(CALIBRATED, calibrated ? 1.0 : 0.0);
        state.put(SAMPLES, (double) samples);
        state.put(CALIBRATED_ALPHA, calibratedAlpha);
        steering.state().forEach((k, v) -> state.put(STEERING + k, v));
        return Map.copyOf(state);
    }

    @Override
    public synchronized void restoreState(Map<String, Double> state) {
        Double flag = state.get(CALIBRATED);
        Double s = state.get(SAMPLES);
        if (flag == null || !(flag == 0 || flag == 1)) {
            throw new IllegalArgumentException(
                    "calibrated AIMLE state needs 'calibrated' = 0 or 1, got " + flag + " in " + state.keySet());
        }
        if (s == null || !(s >= 0) || s != Math.rint(s) || s > Integer.MAX_VALUE || (flag == 1 && s == 0)) {
            throw new IllegalArgumentException("calibrated AIMLE state needs 'samples', a whole number at least 0"
                    + " (at least 1 once calibrated), got " + s + " in " + state.keySet());
        }
        Double restoredAlpha = state.get(CALIBRATED_ALPHA);
        if (restoredAlpha == null
                || !(restoredAlpha >= 0)
                || Double.isInfinite(restoredAlpha)
                || (flag == 1 && restoredAlpha == 0)) {
            throw new IllegalArgumentException("calibrated AIMLE state needs 'calibratedAlpha', a finite number at"
                    + " least 0 (above 0 once calibrated), got " + restoredAlpha + " in " + state.keySet());
        }
        Map<String, Double> own = new HashMap<>(state);
        own.remove(CALIBRATED);
        own.remove(SAMPLES);
        own.remove(CALIBRATED_ALPHA);
        Map<String, Double> steeringState = new HashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith(STEERING)) {
                steeringState.put(k.substring(STEERING.length()), v);
                own.remove(k);
            }
        });
        int restoredSamples = s.intValue();
        Aimle restored = build(targetFor(Math.max(1, restoredSamples)));
        restored.restoreState(own);
        steering.restoreState(steeringState);
        inner = restored;
        samples = restoredSamples;
        calibrated = flag == 1;
        calibratedAlpha = restoredAlpha;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "AIMLE(%s, %s, c = %s per solver unit, then %s)",
                calibrate ? "calibrated" : "not calibrated",
                difference.label(),
                fixedTarget != null
                        ? fixedTarget.toString()
                        : (difference == FiniteDifference.CENTRAL ? "" : FORWARD_SHARE + " ") + "min(" + CENTRAL_C_MAX
                                + ", " + CENTRAL_C1 + " S^-" + EXPONENT + ")",
                inner);
    }

    /**
     * Builds {@link CalibratedAimle}. The defaults are the preset; the other settings exist to
     * measure what each part of it does (the README's variants).
     */
    public static final class Builder {
        private FiniteDifference difference = FiniteDifference.FORWARD;
        private AlphaController controller;
        private Double fixedTarget;
        private boolean calibrate = true;

        private Builder() {}

        /** {@code forward} or {@code central}. */
        public Builder difference(String value) {
            this.difference = FiniteDifference.parse(value);
            return this;
        }

        /** The controller after the calibration (default: the preset's). */
        public Builder controller(AlphaController value) {
            this.controller = Objects.requireNonNull(value, "controller").copy();
            return this;
        }

        /** A target c that does not depend on S (default: c(S)). */
        public Builder fixedTarget(double c) {
            Aimle.builder().target(c); // the one check of a target, failing here rather than at the first step
            this.fixedTarget = c;
            return this;
        }

        /** Whether the first backward pass calibrates alpha (default true). */
        public Builder calibrate(boolean value) {
            this.calibrate = value;
            return this;
        }

        /** The estimator. */
        public CalibratedAimle build() {
            return new CalibratedAimle(this);
        }
    }
}
