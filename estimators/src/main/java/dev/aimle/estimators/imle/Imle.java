package dev.aimle.estimators.imle;

import dev.aimle.api.Sample;

/**
 * Implicit Maximum-Likelihood Estimation with a fixed step {@code lambda} (Niepert, Minervini and
 * Franceschi, NeurIPS 2021; AAAI-23 paper Eq. 2):
 *
 * <pre>
 *   forward:  g = (MAP(theta + eps) - MAP(theta - lambda*dy + eps)) / lambda
 *   central:  g = (MAP(theta + lambda*dy + eps) - MAP(theta - lambda*dy + eps)) / (2*lambda)
 * </pre>
 *
 * averaged over the S samples. With gradient scaling off ({@link Builder#scaleGradient(boolean)})
 * the division by lambda is dropped, as in the reference code's default
 * ({@code TargetDistribution(do_gradient_scaling=False)}, used by its DVAE and L2X experiments): then
 * lambda only sets how far the target moves, and its grids ({1, 10, 100} for the DVAE, {10, 100,
 * 1000} for L2X) mean what they mean there. {@code lambda = 0} gives an all-zero gradient without
 * calling the solver. For a minimising solver the targets move along {@code +dy} and g changes sign.
 * Stateless and thread-safe.
 */
public final class Imle extends PerturbAndMapEstimator {
    private final double lambda;
    private final FiniteDifference difference;
    private final boolean scaleGradient;

    private Imle(Builder b) {
        super(b.hostArithmetic);
        this.lambda = b.lambda;
        this.difference = b.difference;
        this.scaleGradient = b.scaleGradient;
    }

    /** A builder: lambda 1, forward difference, gradient scaled by 1/lambda. */
    public static Builder builder() {
        return new Builder();
    }

    /** The fixed step. */
    public double lambda() {
        return lambda;
    }

    /** Whether the central difference is used (else the forward one). */
    public boolean isCentral() {
        return difference == FiniteDifference.CENTRAL;
    }

    /** Whether the difference is divided by lambda. */
    public boolean scalesGradient() {
        return scaleGradient;
    }

    @Override
    public String name() {
        return "imle";
    }

    /** Algorithm 1's estimate with this fixed lambda; nothing adapts. */
    @Override
    <A> A estimate(Kernel<A> kernel, Sample sample) {
        return Algorithm1.estimate(
                        kernel, sample.perturbation(), new Kernel.BatchLambda<>(lambda), difference, scaleGradient)
                .gradient();
    }

    @Override
    public String toString() {
        return "IMLE(" + difference.label() + ", lambda=" + lambda + (scaleGradient ? "" : ", unscaled") + ")";
    }

    /** Builds {@link Imle}; each setter replaces an earlier call of itself. */
    public static final class Builder {
        private double lambda = 1.0;
        private FiniteDifference difference = FiniteDifference.FORWARD;
        private boolean scaleGradient = true;

        private boolean hostArithmetic = true;

        private Builder() {}

        /** False keeps every operation in the engine even on the CPU (tests compare the two paths). */
        Builder hostArithmetic(boolean value) {
            this.hostArithmetic = value;
            return this;
        }

        /** The finite-difference step, finite and at least 0 (default 1). */
        public Builder lambda(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("lambda (" + value + ") must be a finite number at least 0");
            }
            this.lambda = value;
            return this;
        }

        /** The forward difference, Eq. 2 (the default). */
        public Builder forward() {
            this.difference = FiniteDifference.FORWARD;
            return this;
        }

        /** The central difference of Algorithm 1. */
        public Builder central() {
            this.difference = FiniteDifference.CENTRAL;
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

        /** Whether to divide the difference by lambda (default true, the paper's Eq. 2). */
        public Builder scaleGradient(boolean value) {
            this.scaleGradient = value;
            return this;
        }

        /** The estimator. */
        public Imle build() {
            return new Imle(this);
        }
    }
}
