package dev.aimle.estimators.sfe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.Shapes;
import dev.aimle.api.TractableDistribution;
import dev.aimle.estimators.SampleLayout;
import java.util.random.RandomGenerator;

/**
 * The score-function estimator (REINFORCE; Williams 1992):
 * {@code g = mean_i f(z_i) * grad_theta log p(z_i; theta)} with {@code z_i ~ p(z; theta)} drawn
 * exactly. For the exponential family {@code p(z; theta) = exp(<z, theta> - A(theta))},
 * {@code grad_theta log p(z; theta) = z - mu(theta)}, with {@code mu} the marginals.
 *
 * <p>It needs the solver's {@link TractableDistribution} (categorical: softmax; k-subset: dynamic
 * programming) and the loss of every sample ({@link Downstream#lossPerSample()}); it refuses
 * solvers without one, and padding masks. Unbiased, but its variance needs orders of magnitude more
 * samples than AIMLE (AAAI-23, Fig. 3). The noise and temperatures of the perturbation are not used.
 * Stateless and thread-safe.
 */
public final class ScoreFunction implements GradientEstimator {

    @Override
    public String name() {
        return "sfe";
    }

    @Override
    public boolean requiresLossPerSample() {
        return true;
    }

    @Override
    public Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        if (mask != null) {
            throw new IllegalArgumentException("the score-function estimator does not support a padding mask");
        }
        TractableDistribution distribution = distribution(perturbation);
        Shapes.requireFinite("theta", theta);
        NDManager owner = theta.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray detached = theta.stopGradient();
            detached.attach(scope);
            NDArray z = distribution.sample(SampleLayout.repeat(detached, perturbation.samples()), random);
            z.attach(owner);
            detached.attach(owner);
            return new Sample(perturbation, detached, null, null, z);
        }
    }

    @Override
    public NDArray backward(Sample sample, Downstream downstream) {
        Shapes.requireRepeated("dL/dz", downstream.gradient(), sample.theta(), sample.samples());
        long rows = sample.z().getShape().get(0);
        NDArray loss = downstream
                .lossValues()
                .orElseThrow(() -> new IllegalArgumentException(
                        "the score-function estimator needs the loss of every sample: pass Downstream(gradient, "
                                + "lossPerSample) with lossPerSample of shape [" + rows + "]"));
        if (!loss.getShape().equals(new Shape(rows))) {
            throw new IllegalArgumentException("lossPerSample has shape " + loss.getShape() + " but there are " + rows
                    + " samples; expected [" + rows + "]");
        }
        Shapes.requireFinite("lossPerSample", loss);
        NDManager owner = sample.theta().getManager();
        try (NDManager scope = owner.newSubManager()) {
            sample.theta().tempAttach(scope);
            sample.z().tempAttach(scope);
            loss.tempAttach(scope);
            NDArray marginals = distribution(sample.perturbation()).marginals(sample.theta());
            NDArray score = sample.z().sub(SampleLayout.repeat(marginals, sample.samples()));
            Shape broadcast = new Shape(rows);
            for (int i = 1; i < score.getShape().dimension(); i++) {
                broadcast = broadcast.add(1);
            }
            NDArray g = SampleLayout.meanOverSamples(score.mul(loss.reshape(broadcast)), sample.samples());
            g.attach(owner);
            return g;
        }
    }

    private static TractableDistribution distribution(Perturbation perturbation) {
        return perturbation
                .solver()
                .distribution()
                .orElseThrow(() -> new IllegalArgumentException(
                        "the score-function estimator needs exact log-probabilities, but solver '"
                                + perturbation.solver().name() + "' has no tractable distribution; "
                                + "use aimle, imle or ste with this solver"));
    }

    @Override
    public String toString() {
        return "SFE";
    }
}
