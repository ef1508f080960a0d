package dev.aimle.estimators.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.NoiseDistribution;
import java.util.random.RandomGenerator;

/**
 * Standard Gumbel noise, {@code Gumbel(0, 1)}: {@code eps = -log(-log U)} with {@code U ~ U(0, 1)}.
 * Its mean is the Euler–Mascheroni constant 0.5772 and its variance {@code pi^2/6}. With it,
 * {@code argmax(theta + eps)} is an exact sample of {@code softmax(theta)} (the Gumbel-max trick),
 * the perturbation used for k = 1 in the AAAI-23 paper.
 *
 * <p>Values are computed on the host in double precision and rounded to float32; see
 * {@link HostNoise} for how the work is split and why the result does not depend on the number of
 * threads.
 */
public record GumbelNoise() implements NoiseDistribution {

    /** The provider name. */
    public static final String NAME = "gumbel";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray sample(NDManager manager, Shape shape, RandomGenerator random) {
        return HostNoise.sample(manager, shape, random, NAME, GumbelNoise::fill);
    }

    /** Fills a range of values from one generator (package-private for the benchmark). */
    static void fill(RandomGenerator random, float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] = (float) -Math.log(-Math.log(GammaSampler.nextOpenUniform(random)));
        }
    }

    @Override
    public String toString() {
        return "Gumbel(0, 1)";
    }
}
