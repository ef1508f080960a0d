package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import java.util.random.RandomGenerator;

/**
 * A constrained exponential-family distribution {@code p(z; theta) = exp(<z, theta> - A(theta))} for
 * z in the feasible set of a {@link MapSolver}, whose log-partition {@code A} can be computed exactly
 * (AAAI-23 paper, Eq. 4). For such a distribution {@code grad_theta log p(z; theta) = z - mu(theta)}
 * with {@code mu = grad A} the marginals, which is what the score-function estimator uses.
 *
 * <p>All methods take {@code theta} of shape {@code [B, ...]} like {@link MapSolver#solve} and return
 * arrays attached to theta's manager, on theta's device.
 */
public interface TractableDistribution {

    /** The log-partition function {@code A(theta)}, shape {@code [B]}. */
    NDArray logPartition(NDArray theta);

    /** The marginals {@code mu(theta) = E[z] = grad A(theta)}, shape of {@code theta}. */
    NDArray marginals(NDArray theta);

    /**
     * {@code log p(z; theta) = <z, theta> - A(theta)}, shape {@code [B]}.
     *
     * @param z states of the feasible set, shape of {@code theta}
     */
    default NDArray logProbability(NDArray theta, NDArray z) {
        NDArray inner = z.mul(theta).reshape(theta.getShape().get(0), -1).sum(new int[] {1});
        return inner.sub(logPartition(theta));
    }

    /**
     * Draws exact samples {@code z ~ p(z; theta)}, one per instance.
     *
     * @param random the source of randomness; the same sequence gives the same samples
     * @return samples, shape of {@code theta}, float32 in {0, 1}
     */
    NDArray sample(NDArray theta, RandomGenerator random);
}
