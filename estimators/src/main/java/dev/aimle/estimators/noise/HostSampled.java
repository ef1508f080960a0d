package dev.aimle.estimators.noise;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.util.random.RandomGenerator;

/**
 * A noise distribution that draws its values on the host: {@link #sampleOnHost} returns the very
 * numbers {@code sample} would put in an array, without the array. The estimators use it on the CPU,
 * where they perturb theta on the host and so save an array's creation and copy per draw.
 */
public interface HostSampled {
    /** Whether noise for an array on {@code device} is drawn on the host ({@link Placement}). */
    boolean drawsOnHost(Device device);

    /**
     * The values of {@code sample(manager, shape, random)}, row-major, advancing {@code random} the
     * same way.
     *
     * @throws IllegalArgumentException on a shape with an unknown or negative dimension, or too large
     */
    float[] sampleOnHost(Shape shape, RandomGenerator random);

    /**
     * Advances {@code random} exactly as {@link #sampleOnHost} would for {@code shape}, without
     * drawing the values (for values drawn ahead of time from an identical generator).
     */
    void skip(Shape shape, RandomGenerator random);
}
