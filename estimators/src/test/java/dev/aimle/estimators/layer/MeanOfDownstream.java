package dev.aimle.estimators.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Downstream;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.Perturbation;
import dev.aimle.api.Sample;
import dev.aimle.estimators.Scalars;
import java.util.random.RandomGenerator;

/**
 * A test double with a known backward pass: Perturb-and-MAP samples, and {@code g} = the mean over
 * the S samples of {@code dL/dz} (straight-through). Optionally demands the loss of each sample, and
 * remembers the last one it was given.
 */
final class MeanOfDownstream implements GradientEstimator {
    private final boolean needsLossPerSample;
    float[] lastLossPerSample;

    MeanOfDownstream(boolean needsLossPerSample) {
        this.needsLossPerSample = needsLossPerSample;
    }

    MeanOfDownstream() {
        this(false);
    }

    @Override
    public String name() {
        return needsLossPerSample ? "mean-with-losses" : "mean";
    }

    @Override
    public boolean requiresLossPerSample() {
        return needsLossPerSample;
    }

    @Override
    public Sample forward(NDArray theta, NDArray mask, Perturbation perturbation, RandomGenerator random) {
        NDManager owner = theta.getManager();
        int s = perturbation.samples();
        NDArray detached = theta.stopGradient();
        Shape repeated =
                new Shape(theta.getShape().get(0) * s).addAll(theta.getShape().slice(1));
        NDArray noise = perturbation.noise().sample(owner, repeated, random);
        try (NDManager scope = owner.newSubManager()) {
            detached.tempAttach(scope);
            noise.tempAttach(scope);
            NDArray z = perturbation
                    .solver()
                    .solve(detached.repeat(0, s).add(Scalars.mul(noise, perturbation.inputTemperature())));
            z.attach(owner);
            return new Sample(perturbation, detached, null, noise, z);
        }
    }

    @Override
    public NDArray backward(Sample sample, Downstream downstream) {
        if (needsLossPerSample) {
            lastLossPerSample = downstream
                    .lossValues()
                    .orElseThrow(() -> new AssertionError("the layer did not pass the losses per sample"))
                    .toFloatArray();
        }
        NDArray dy = downstream.gradient();
        Shape theta = sample.theta().getShape();
        Shape grouped = new Shape(theta.get(0), sample.samples()).addAll(theta.slice(1));
        NDArray g = dy.reshape(grouped).mean(new int[] {1});
        g.attach(sample.theta().getManager());
        return g;
    }
}
