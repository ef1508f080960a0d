package dev.aimle.estimators.imle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.Shapes;
import dev.aimle.estimators.MapStates;
import dev.aimle.estimators.SampleLayout;
import java.util.random.RandomGenerator;

/**
 * The forward pass shared by the Perturb-and-MAP estimators (IMLE, AIMLE, STE):
 * {@code z_i = MAP(theta + tau_in * eps_i)} for S samples per instance, keeping the unscaled noise
 * {@code eps_i} so that the backward pass perturbs its targets with the same noise (the variance
 * reduction at the core of I-MLE). Subclasses implement {@link #estimate}. A padding mask is applied
 * to every solver call ({@link MapStates}) and zeroes the downstream gradient at masked positions.
 */
abstract class PerturbAndMapEstimator implements GradientEstimator {

    @Override
    public final Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        Shapes.requireFinite("theta", theta);
        NDManager owner = theta.getManager();
        int samples = perturbation.samples();
        Shape repeatedShape = new Shape(theta.getShape().get(0) * samples)
                .addAll(theta.getShape().slice(1));
        // Everything is created in the scope and closed with it; only what the sample keeps moves to
        // the owner, and only on success, so a solver that throws leaves nothing behind.
        try (NDManager scope = owner.newSubManager()) {
            NDArray detached = theta.stopGradient();
            detached.attach(scope);
            NDArray validMask = mask == null ? null : MapStates.requireMask(mask, theta, scope);
            NDArray noise = perturbation.noise().sample(scope, repeatedShape, random);
            NDArray perturbed = SampleLayout.repeat(detached, samples).addi(noise.mul(perturbation.inputTemperature()));
            NDArray z = MapStates.solve(perturbation.solver(), perturbed, repeatedMask(validMask, samples));
            z.attach(owner);
            detached.attach(owner);
            noise.attach(owner);
            if (validMask != null) {
                validMask.attach(owner);
            }
            return new Sample(perturbation, detached, validMask, noise, z);
        }
    }

    @Override
    public final NDArray backward(Sample sample, Downstream downstream) {
        NDArray dy = downstream.gradient();
        Shapes.requireRepeated("dL/dz", dy, sample.theta(), sample.samples());
        Shapes.requireFinite("dL/dz", dy);
        NDManager owner = sample.theta().getManager();
        try (NDManager scope = owner.newSubManager()) {
            for (NDArray array : new NDArray[] {sample.theta(), sample.z(), sample.noise(), sample.mask(), dy}) {
                if (array != null) {
                    array.tempAttach(scope);
                }
            }
            NDArray mask = repeatedMask(sample.mask(), sample.samples());
            NDArray maskedDy = mask == null ? dy : dy.mul(mask.toType(DataType.FLOAT32, false));
            NDArray mean = SampleLayout.meanOverSamples(estimate(sample, maskedDy, mask), sample.samples());
            mean.attach(owner);
            return mean;
        }
    }

    @Override
    public boolean supportsMask() {
        return true;
    }

    /**
     * The per-sample gradient estimates {@code [B*S, ...]}, averaged over the S samples by
     * {@link #backward}. Every array here is closed with the backward pass's scope.
     *
     * @param dy {@code dL/dz}, zero at masked positions
     * @param mask the mask repeated to {@code [B*S, ...]}, or null
     */
    protected abstract NDArray estimate(Sample sample, NDArray dy, NDArray mask);

    /** +1 for a maximising solver, -1 for a minimising one. */
    static int senseSign(Perturbation perturbation) {
        return perturbation.solver().sense() == MapSolver.Sense.MAXIMISE ? 1 : -1;
    }

    static NDArray repeatedMask(NDArray mask, int samples) {
        return mask == null ? null : SampleLayout.repeat(mask, samples);
    }
}
