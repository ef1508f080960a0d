package dev.aimle.estimators.imle;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;

/**
 * Algorithm 1 of Minervini, Franceschi and Niepert, "Adaptive Perturbation-Based Gradient
 * Estimation for Discrete Latent Variable Models" (AAAI-23), written once: the only statement of the
 * maths of {@link Aimle}, {@link Imle} (the same with a fixed lambda and nothing adapted) and
 * {@link Ste}. The array work is done by a {@link Kernel} (the engine's, or host loops on the CPU);
 * what is computed, with which lambda, sign and divisor, is decided here. With s = +1 for a
 * maximising solver and -1 for a minimising one (targets move along {@code +dy}, and g changes
 * sign), k = 2 for the central difference and 1 for the forward one:
 *
 * <pre>
 *   forward pass   z_i    = MAP(theta + tau_in * eps_i)                      i = 1..S   {@link #samples}
 *   backward pass  lambda = alpha * ||theta|| / ||dy||          (Eq. 8)       {@link #lambda}
 *                  D_i    = MAP(theta + tau*eps_i + s*lambda*dy_i)
 *                         - MAP(theta + tau*eps_i - s*lambda*dy_i)             (central)
 *                         = z_i - MAP(theta + tau*eps_i - s*lambda*dy_i)       (forward, tau = tau_in)
 *                  g      = mean_i D_i / (s * k * lambda)      (1 for lambda unscaled)  {@link #estimate}
 *                  gbar  <- gamma * gbar + (1 - gamma) * ||D||_0 / units       (Eq. 9)  {@link #adapt}
 *                  alpha <- controller(alpha, gbar, c)         (Eq. 10: max(0, alpha +/- eta))
 * </pre>
 *
 * The forward noise eps is kept in the {@link Sample} and reused by the targets (the variance
 * reduction at the core of I-MLE); the mean over the S samples is taken by the caller
 * ({@link PerturbAndMapEstimator#backward}). {@code lambda = 0} gives an all-zero gradient without
 * calling the solver.
 */
final class Algorithm1 {
    private Algorithm1() {}

    /** The forward pass: {@code z_i = MAP(theta + tau_in * eps_i)} for the S samples of every instance. */
    static <A> A samples(Kernel<A> kernel, Perturbation perturbation) {
        return kernel.solve(kernel.perturbed(perturbation.inputTemperature()), false);
    }

    /** AIMLE's adapted quantities (read and written under the owning {@link Aimle}'s lock). */
    static final class Adaptation {
        double alpha;
        double gbar;
        long steps;
        double lastLambda;
    }

    /**
     * One AIMLE backward pass: lambda from alpha (Eq. 8, {@code rule}), the estimate, then Eq. 9 and
     * the controller move the {@code adaptation}.
     */
    static <A> A adaptiveEstimate(Kernel<A> kernel, Sample sample, Aimle.Settings settings, Adaptation adaptation) {
        Kernel.Lambda<A> lambda = settings.lambdaRule() == Aimle.LambdaRule.BATCH
                ? new Kernel.BatchLambda<>(lambda(adaptation.alpha, kernel.thetaNorm(), kernel.dyNorm()))
                : kernel.perInputLambda(adaptation.alpha);
        Estimate<A> estimate =
                estimate(kernel, sample.perturbation(), lambda, settings.difference(), settings.scaleGradient());
        adapt(adaptation, settings, estimate, sample);
        return estimate.gradient();
    }

    /**
     * Eq. 8 over the whole batch, {@code alpha * ||theta|| / ||dy||} with theta repeated S times like
     * dy; 0 when {@code ||dy|| = 0}.
     *
     * @throws ArithmeticException when a norm or lambda overflows
     */
    static double lambda(double alpha, float thetaNorm, float dyNorm) {
        double theta = requireFiniteNorm("||theta||", thetaNorm);
        double dy = requireFiniteNorm("||dL/dz||", dyNorm);
        double lambda = dy > 0 ? alpha * theta / dy : 0;
        if (!Double.isFinite(lambda)) {
            throw new ArithmeticException("AIMLE's lambda = alpha (" + alpha + ") * ||theta|| (" + theta
                    + ") / ||dL/dz|| (" + dy + ") overflowed");
        }
        return lambda;
    }

    /** The per-sample estimates {@code D_i / (s * k * lambda)}, {@code ||D||_0} and the lambda used. */
    record Estimate<A>(A gradient, long nonZeros, double lambda) {}

    /**
     * The finite-difference estimate for one lambda (one per batch, or one per input).
     *
     * @param scale whether D is divided by lambda (else by {@code s * k} only)
     */
    static <A> Estimate<A> estimate(
            Kernel<A> kernel,
            Perturbation perturbation,
            Kernel.Lambda<A> lambda,
            FiniteDifference difference,
            boolean scale) {
        if (lambda instanceof Kernel.BatchLambda<A> batch && batch.value() == 0) {
            return new Estimate<>(kernel.zeros(), 0, 0);
        }
        int sign = sign(perturbation);
        double tau = perturbation.targetTemperature();
        A upper;
        A lower;
        if (difference == FiniteDifference.CENTRAL) {
            Kernel.Halves<A> states = kernel.halves(kernel.solve(kernel.targets(tau, lambda, sign, true), true));
            upper = states.upper();
            lower = states.lower();
        } else {
            // The upper state is the forward sample itself when both temperatures agree.
            upper = perturbation.inputTemperature() == tau ? kernel.z() : kernel.solve(kernel.centre(tau), false);
            lower = kernel.solve(kernel.targets(tau, lambda, sign, false), false);
        }
        Kernel.Lambda<A> divisor = scale ? lambda : new Kernel.BatchLambda<>(1);
        Kernel.Difference<A> d = kernel.difference(upper, lower, divisor, sign * difference.divisor());
        return new Estimate<>(d.quotient(), d.nonZeros(), lambda.mean());
    }

    /** Eq. 9 and the controller: {@code gbar <- gamma*gbar + (1-gamma)*||D||_0/units}, then alpha. */
    static void adapt(Adaptation adaptation, Aimle.Settings settings, Estimate<?> estimate, Sample sample) {
        adaptation.lastLambda = estimate.lambda();
        adaptation.gbar = settings.gamma() * adaptation.gbar
                + (1 - settings.gamma())
                        * estimate.nonZeros()
                        / units(sample.z().getShape(), unitFor(settings, sample));
        adaptation.alpha = settings.controller().next(adaptation.alpha, adaptation.gbar, settings.target());
        adaptation.steps++;
    }

    /** The straight-through estimate {@code g_i = s * dy_i}: the solver taken as the identity. */
    static <A> A straightThrough(Kernel<A> kernel, Perturbation perturbation) {
        return kernel.signedDy(sign(perturbation));
    }

    /** The unit c counts per for this sample's solver: {@link Aimle.TargetUnit#ROW} or {@code INSTANCE}. */
    private static Aimle.TargetUnit unitFor(Aimle.Settings settings, Sample sample) {
        if (settings.targetUnit() != Aimle.TargetUnit.SOLVER) {
            return settings.targetUnit();
        }
        return sample.perturbation().solver().naturalUnit() == MapSolver.Unit.INSTANCE
                ? Aimle.TargetUnit.INSTANCE
                : Aimle.TargetUnit.ROW;
    }

    /** What c counts per: B*S samples, times the rows of the last axis for {@link Aimle.TargetUnit#ROW}. */
    private static double units(Shape samples, Aimle.TargetUnit unit) {
        long units = samples.get(0);
        if (unit == Aimle.TargetUnit.ROW && samples.dimension() > 2) {
            units *= samples.slice(1, samples.dimension() - 1).size();
        }
        return Math.max(1, units);
    }

    /** s: +1 for a maximising solver, -1 for a minimising one. */
    static int sign(Perturbation perturbation) {
        return perturbation.solver().sense() == MapSolver.Sense.MAXIMISE ? 1 : -1;
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
}
