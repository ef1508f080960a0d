package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.random.RandomGenerator;

/**
 * The perturbation distribution {@code rho(epsilon)} of Perturb-and-MAP: {@code MAP(theta + eps)}
 * with {@code eps ~ rho} is a (possibly approximate) sample of {@code p(z; theta)}.
 *
 * <p>Randomness comes only from the {@link RandomGenerator} passed in, never from a global or engine
 * seed: the same generator state gives the same numbers on every device. Implementations are
 * immutable and thread-safe (the generator is the caller's).
 */
public interface NoiseDistribution {

    /** The provider name, e.g. {@code "gumbel"}, {@code "sum-of-gamma"}, {@code "none"}. */
    String name();

    /**
     * Draws i.i.d. noise.
     *
     * @param manager owns the result; the result is on its device
     * @param shape the shape of the result
     * @param random the source of randomness, advanced by this call
     * @return float32 noise of the given shape attached to {@code manager}
     */
    NDArray sample(NDManager manager, Shape shape, RandomGenerator random);
}
