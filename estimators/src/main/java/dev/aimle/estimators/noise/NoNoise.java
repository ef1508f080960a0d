package dev.aimle.estimators.noise;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.NoiseDistribution;
import java.util.random.RandomGenerator;

/**
 * No perturbation: zeros, so {@code MAP(theta + eps) = MAP(theta)}. The generator is not advanced.
 * Useful for deterministic baselines (plain STE on the MAP state) and for tests.
 */
public record NoNoise() implements NoiseDistribution, HostSampled {

    /** The provider name. */
    public static final String NAME = "none";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray sample(NDManager manager, Shape shape, RandomGenerator random) {
        HostNoise.checkedSize(NAME, shape);
        return manager.zeros(shape, DataType.FLOAT32);
    }

    @Override
    public boolean drawsOnHost(Device device) {
        return true;
    }

    @Override
    public void skip(Shape shape, RandomGenerator random) {
        HostNoise.checkedSize(NAME, shape);
    }

    @Override
    public float[] sampleOnHost(Shape shape, RandomGenerator random) {
        return new float[HostNoise.checkedSize(NAME, shape)];
    }

    @Override
    public String toString() {
        return "None";
    }
}
