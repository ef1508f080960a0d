package dev.aimle.estimators.sst;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.Shapes;
import dev.aimle.api.TractableDistribution;
import dev.aimle.estimators.MapStates;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import java.util.random.RandomGenerator;

/**
 * The stochastic softmax trick, hard variant (SST; Paulus, Choi, Tarlow, Krause and Maddison,
 * "Gradient estimation with stochastic softmax tricks", NeurIPS 2020), the baseline of the AAAI-23
 * paper's Tables 1 and 2. With {@code U = theta + tau_in * eps} the perturbed scores of the forward
 * pass:
 *
 * <pre>
 *   forward:   z   = MAP(U)                                   (a hard state, like IMLE's)
 *   backward:  g   = (1/t) Cov_{U/t}[z] dy  =  J_theta mu(U/t)^T dy
 * </pre>
 *
 * averaged over the S samples, where {@code mu(U/t) = argmax_{x in conv(C)} <x, U> + t H(x)} is the
 * relaxed sample of the trick (the marginals of the exponential family at natural parameters U/t)
 * and {@code Cov_{U/t}[z] = grad^2 A(U/t)} its Jacobian times t: the straight-through gradient of
 * the relaxation, evaluated with the same noise as the forward pass. The covariance product comes
 * from {@link TractableDistribution#covarianceProduct} of the solver's {@link
 * MapSolver#distribution()}, so the estimator needs a solver that has one (top-k: k-subsets;
 * spanning-tree: the matrix-tree distribution) and refuses others naming the solver.
 *
 * <p>For a minimising solver ({@link MapSolver.Sense#MINIMISE}) the relaxation is {@code mu(-U/t)}
 * and {@code g = -(1/t) Cov_{-U/t}[z] dy}. Padding masks are not supported ({@link #supportsMask()}
 * is false). The temperature t is fixed; stateless and thread-safe.
 */
public final class StochasticSoftmax implements GradientEstimator {
    private final double temperature;

    /**
     * @param temperature t, finite and greater than 0
     * @throws IllegalArgumentException otherwise
     */
    public StochasticSoftmax(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "SST temperature (" + temperature + ") must be a finite number greater than 0");
        }
        this.temperature = temperature;
    }

    /** The temperature t of the relaxation. */
    public double temperature() {
        return temperature;
    }

    @Override
    public String name() {
        return "sst";
    }

    @Override
    public Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        if (mask != null) {
            throw new IllegalArgumentException("the SST estimator does not support a padding mask");
        }
        distribution(perturbation);
        Shapes.requireFinite("theta", theta);
        NDManager owner = theta.getManager();
        int samples = perturbation.samples();
        Shape repeatedShape = new Shape(theta.getShape().get(0) * samples)
                .addAll(theta.getShape().slice(1));
        try (NDManager scope = owner.newSubManager()) {
            NDArray detached = theta.stopGradient();
            detached.attach(scope);
            NDArray noise = perturbation.noise().sample(scope, repeatedShape, random);
            NDArray perturbed = perturbed(detached, noise, perturbation);
            NDArray z = MapStates.solve(perturbation.solver(), perturbed, null);
            z.attach(owner);
            detached.attach(owner);
            noise.attach(owner);
            return new Sample(perturbation, detached, null, noise, z);
        }
    }

    @Override
    public NDArray backward(Sample sample, Downstream downstream) {
        NDArray dy = downstream.gradient();
        Shapes.requireRepeated("dL/dz", dy, sample.theta(), sample.samples());
        Shapes.requireFinite("dL/dz", dy);
        if (sample.noise() == null) {
            throw new IllegalArgumentException("the SST estimator needs the forward noise, but the sample has none;"
                    + " pass a sample drawn by the SST estimator's forward pass");
        }
        Perturbation perturbation = sample.perturbation();
        TractableDistribution distribution = distribution(perturbation);
        double sign = perturbation.solver().sense() == MapSolver.Sense.MAXIMISE ? 1 : -1;
        NDManager owner = sample.theta().getManager();
        try (NDManager scope = owner.newSubManager()) {
            for (NDArray array : new NDArray[] {sample.theta(), sample.noise(), dy}) {
                array.tempAttach(scope);
            }
            NDArray natural = Scalars.muli(perturbed(sample.theta(), sample.noise(), perturbation), sign / temperature);
            NDArray product = distribution.covarianceProduct(natural, dy);
            NDArray g = SampleLayout.meanOverSamples(Scalars.muli(product, sign / temperature), sample.samples());
            g.attach(owner);
            return g;
        }
    }

    /** {@code theta} repeated S times plus {@code tau_in * eps}, on theta's manager. */
    private static NDArray perturbed(NDArray theta, NDArray noise, Perturbation perturbation) {
        return SampleLayout.repeat(theta, perturbation.samples())
                .addi(Scalars.mul(noise, perturbation.inputTemperature()));
    }

    private static TractableDistribution distribution(Perturbation perturbation) {
        return perturbation
                .solver()
                .distribution()
                .orElseThrow(() -> new IllegalArgumentException("the SST estimator needs the covariance of the"
                        + " solver's exponential family, but solver '"
                        + perturbation.solver().name()
                        + "' has no tractable distribution; use aimle, imle or ste with this solver"));
    }

    @Override
    public String toString() {
        return "SST(t=" + temperature + ")";
    }
}
