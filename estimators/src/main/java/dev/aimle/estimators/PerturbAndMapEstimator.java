package dev.aimle.estimators;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.api.Shapes;
import java.util.random.RandomGenerator;

/**
 * The forward pass shared by every Perturb-and-MAP estimator (IMLE, AIMLE, STE):
 * {@code z_i = MAP(theta + tau_in * eps_i)} for S samples per instance, keeping the unscaled noise
 * {@code eps_i} so that the backward pass perturbs its targets with the same noise (the variance
 * reduction at the core of I-MLE). Subclasses implement {@link #estimate}.
 *
 * <p>Rows {@code b*S .. b*S+S-1} of the samples belong to instance b.
 */
public abstract class PerturbAndMapEstimator implements GradientEstimator {

    @Override
    public Sample forward(NDArray theta, Perturbation perturbation, RandomGenerator random) {
        Shapes.requireFinite("theta", theta);
        NDManager owner = theta.getManager();
        int samples = perturbation.samples();
        Shape repeatedShape = new Shape(theta.getShape().get(0) * samples).addAll(theta.getShape().slice(1));
        // Everything is created in the scope and closed with it; only what the sample keeps moves to
        // the owner, and only on success, so a solver that throws leaves nothing behind.
        try (NDManager scope = owner.newSubManager()) {
            NDArray detached = theta.stopGradient();
            detached.attach(scope);
            NDArray noise = perturbation.noise().sample(scope, repeatedShape, random);
            NDArray perturbed = repeat(detached, samples).addi(noise.mul(perturbation.inputTemperature()));
            NDArray z = sampleFrom(perturbed, perturbation);
            z.attach(owner);
            detached.attach(owner);
            noise.attach(owner);
            return new Sample(detached, noise, z, samples);
        }
    }

    @Override
    public final NDArray backward(Sample sample, Perturbation perturbation, Downstream downstream) {
        NDArray dy = downstream.gradient();
        Shapes.requireRepeated("dL/dz", dy, sample.theta(), sample.samples());
        Shapes.requireFinite("dL/dz", dy);
        NDManager owner = sample.theta().getManager();
        try (NDManager scope = owner.newSubManager()) {
            tempAttachAll(scope, sample, downstream);
            NDArray perSample = estimate(sample, perturbation, downstream, scope);
            NDArray mean = meanOverSamples(perSample, sample);
            mean.attach(owner);
            return mean;
        }
    }

    /**
     * Turns the perturbed scores {@code theta + tau_in * eps} ({@code [B*S, ...]}) into samples: the
     * MAP state by default; a relaxation may override it.
     */
    protected NDArray sampleFrom(NDArray perturbed, Perturbation perturbation) {
        return perturbation.solver().solve(perturbed);
    }

    /**
     * The per-sample gradient estimates {@code [B*S, ...]}; {@link #backward} averages them over the
     * S samples. The sample's and the downstream's arrays are temporarily attached to {@code scope},
     * so every array derived from them is closed with it.
     */
    protected abstract NDArray estimate(
            Sample sample, Perturbation perturbation, Downstream downstream, NDManager scope);

    private static void tempAttachAll(NDManager scope, Sample sample, Downstream downstream) {
        sample.theta().tempAttach(scope);
        sample.z().tempAttach(scope);
        if (sample.noise() != null) {
            sample.noise().tempAttach(scope);
        }
        downstream.gradient().tempAttach(scope);
        downstream.lossValues().ifPresent(loss -> loss.tempAttach(scope));
    }

    /** theta {@code [B, ...]} repeated to {@code [B*S, ...]}, instance b at rows b*S..b*S+S-1. */
    protected static NDArray repeat(NDArray theta, int samples) {
        return samples == 1 ? theta.duplicate() : theta.repeat(0, samples);
    }

    /** The mean over the S samples of each instance: {@code [B*S, ...]} to {@code [B, ...]}. */
    protected static NDArray meanOverSamples(NDArray perSample, Sample sample) {
        Shape thetaShape = sample.theta().getShape();
        if (sample.samples() == 1) {
            return perSample.reshape(thetaShape);
        }
        Shape grouped = new Shape(thetaShape.get(0), sample.samples()).addAll(thetaShape.slice(1));
        return perSample.reshape(grouped).mean(new int[] {1});
    }
}
