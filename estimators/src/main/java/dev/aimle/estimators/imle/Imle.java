package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimle.api.Downstream;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.FiniteDifference;
import dev.aimle.estimators.ImleDifferences;
import dev.aimle.estimators.PerturbAndMapEstimator;

/**
 * Implicit Maximum-Likelihood Estimation with a fixed step {@code lambda} (Niepert, Minervini and
 * Franceschi, NeurIPS 2021; AAAI-23 paper Eq. 2):
 *
 * <pre>
 *   forward:  g = (MAP(theta + eps) - MAP(theta - lambda*dy + eps)) / lambda
 *   central:  g = (MAP(theta + lambda*dy + eps) - MAP(theta - lambda*dy + eps)) / (2*lambda)
 * </pre>
 *
 * averaged over the S samples. {@code lambda = 0} gives an all-zero gradient (the limit of Fig. 1),
 * without calling the solver. Stateless and thread-safe.
 */
public final class Imle extends PerturbAndMapEstimator {
    private final double lambda;
    private final FiniteDifference difference;

    /**
     * @param lambda the finite-difference step, finite and at least 0
     * @param difference forward or central
     */
    public Imle(double lambda, FiniteDifference difference) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda (" + lambda + ") must be a finite number at least 0");
        }
        this.lambda = lambda;
        this.difference = java.util.Objects.requireNonNull(difference, "difference");
    }

    /** The fixed step. */
    public double lambda() {
        return lambda;
    }

    /** Forward or central. */
    public FiniteDifference difference() {
        return difference;
    }

    @Override
    public String name() {
        return "imle";
    }

    @Override
    protected NDArray estimate(Sample sample, Perturbation perturbation, Downstream downstream, NDManager scope) {
        NDArray dy = downstream.gradient();
        if (lambda == 0) {
            return dy.zerosLike();
        }
        NDArray thetaRepeated = repeat(sample.theta(), sample.samples());
        NDArray d = ImleDifferences.difference(sample, perturbation, thetaRepeated, dy.mul(lambda), difference);
        return d.div(lambda * difference.divisor());
    }

    @Override
    public String toString() {
        return "IMLE(" + difference.name().toLowerCase(java.util.Locale.ROOT) + ", lambda=" + lambda + ")";
    }
}
