package dev.aimle.estimators.noise;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.HostArrays;
import dev.aimle.api.NoiseDistribution;
import java.util.random.RandomGenerator;

/**
 * Standard normal noise, {@code N(0, 1)}: the default perturbation of the perturbed optimizers of
 * Berthet et al. (2020, "Learning with Differentiable Perturbed Optimizers"), whose Fenchel-Young
 * loss ({@link dev.aimle.estimators.fy.FenchelYoungLoss}) uses it. Values are the generator's
 * {@link RandomGenerator#nextGaussian()} rounded to float32, drawn on the host in row-major order on
 * the calling thread, so the same generator state gives the same numbers on every device.
 */
public record GaussianNoise() implements NoiseDistribution, HostSampled {

    /** The name, as the reference's {@code perturbations.py} calls it. */
    public static final String NAME = "normal";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray sample(NDManager manager, Shape shape, RandomGenerator random) {
        return HostArrays.create(manager, sampleOnHost(shape, random), shape);
    }

    @Override
    public boolean drawsOnHost(Device device) {
        return true;
    }

    @Override
    public float[] sampleOnHost(Shape shape, RandomGenerator random) {
        float[] values = new float[HostNoise.checkedSize(NAME, shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Override
    public void skip(Shape shape, RandomGenerator random) {
        int n = HostNoise.checkedSize(NAME, shape);
        for (int i = 0; i < n; i++) {
            random.nextGaussian();
        }
    }

    @Override
    public String toString() {
        return "Normal(0, 1)";
    }
}
