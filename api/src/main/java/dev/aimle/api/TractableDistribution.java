package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A constrained exponential-family distribution {@code p(z; theta) = exp(<z, theta> - A(theta))} for
 * z in the feasible set of a {@link MapSolver}, whose log-partition {@code A} can be computed exactly
 * (AAAI-23 paper, Eq. 4). For such a distribution {@code grad_theta log p(z; theta) = z - mu(theta)}
 * with {@code mu = grad A} the marginals, which is what the score-function estimator uses.
 *
 * <p>All methods take {@code theta} of shape {@code [B, ...]} like {@link MapSolver#solve} and return
 * arrays attached to theta's manager, on theta's device.
 *
 * <p>{@link #covarianceProduct} was added within SPI 0.2 as a default method (backward compatible:
 * a distribution written before it inherits the finite-difference version).
 */
public interface TractableDistribution {

    /**
     * The relative step of {@link #covarianceProduct}'s default central difference: theta moves by
     * {@code h * v} with {@code h * max|v| = COVARIANCE_STEP} per instance.
     */
    double COVARIANCE_STEP = 1e-2;

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
     * The covariance of z times a vector, per instance: {@code Cov_theta[z] v = grad^2 A(theta) v =
     * J_mu(theta) v}, the Jacobian of the marginals applied to v (the exponential family's Fisher
     * information; the backward pass of the stochastic softmax trick, Paulus et al., NeurIPS 2020).
     *
     * <p>The default is the central difference {@code (mu(theta + h v) - mu(theta - h v)) / (2h)}
     * with {@code h = COVARIANCE_STEP / max|v|} per instance (0 where v is 0). Its error is of order
     * {@code h^2} (truncation) plus {@code u / h} with u the float32 rounding of theta and of the
     * marginals: about {@code 1e-4 * max|v|} for {@code |theta| <= 10} and growing with the float32
     * spacing of theta beyond. Distributions that can do it exactly should override it.
     *
     * @param theta the natural parameters {@code [B, ...]}, float32
     * @param v the vector, shape of theta, float32
     * @return {@code Cov_theta[z] v}, shape of theta, float32, attached to theta's manager
     * @throws IllegalArgumentException if v's shape differs from theta's
     */
    default NDArray covarianceProduct(NDArray theta, NDArray v) {
        if (!v.getShape().equals(theta.getShape())) {
            throw new IllegalArgumentException(
                    "v has shape " + v.getShape() + " but theta has shape " + theta.getShape() + "; they must agree");
        }
        NDManager owner = theta.getManager();
        long batch = theta.getShape().dimension() == 0 ? 0 : theta.getShape().get(0);
        if (batch == 0 || theta.getShape().size() == 0) {
            return owner.zeros(theta.getShape(), DataType.FLOAT32, theta.getDevice());
        }
        try (NDManager scope = owner.newSubManager()) {
            NDArray t = theta.duplicate();
            t.attach(scope);
            NDArray direction = v.duplicate();
            direction.attach(scope);
            long[] perInstance = new long[theta.getShape().dimension()];
            perInstance[0] = batch;
            Arrays.fill(perInstance, 1, perInstance.length, 1L);
            NDArray largest = direction.abs().reshape(batch, -1).max(new int[] {1});
            // h = STEP / max|v|, and 1 where v is 0 (the difference is then 0 anyway)
            NDArray scale = largest.add(largest.eq(0).toType(DataType.FLOAT32, false));
            // no NDArray.mul(Number) and the like: see the estimators module's Scalars
            NDArray h = scope.full(scale.getShape(), (float) COVARIANCE_STEP, DataType.FLOAT32, scale.getDevice())
                    .div(scale)
                    .reshape(new Shape(perInstance));
            NDArray step = direction.mul(h);
            NDArray plus = marginals(t.add(step));
            plus.attach(scope);
            NDArray minus = marginals(t.sub(step));
            minus.attach(scope);
            NDArray result = plus.sub(minus).div(h.add(h));
            result.attach(owner);
            return result;
        }
    }

    /**
     * Draws exact samples {@code z ~ p(z; theta)}, one per instance.
     *
     * @param random the source of randomness; the same sequence gives the same samples
     * @return samples, shape of {@code theta}, float32 in {0, 1}
     */
    NDArray sample(NDArray theta, RandomGenerator random);
}
