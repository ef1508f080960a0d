package dev.aimle.estimators.noise;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.NoiseDistribution;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Sum-of-Gamma noise of the I-MLE paper (Niepert, Minervini, Franceschi, NeurIPS 2021, Def. 1, with
 * temperature 1):
 *
 * <pre>
 *   SoG(k, s) = ( sum_{i=1..s} Gamma(shape 1/k, rate i/k)  -  log s ) / k
 * </pre>
 *
 * <p>The sum of k independent SoG(k, s) draws is {@code sum_{i=1..s} Exp(rate i) - log s}, which
 * tends to {@code Gumbel(0, 1)} as s grows (its mean is the harmonic number {@code H_s - log s});
 * adding SoG(k, s) noise to the scores of a top-k problem thus perturbs them so that the k-subset
 * sums behave like Gumbel perturbations. Used with k equal to the subset size.
 *
 * <p>Since {@code Gamma(1/k, rate i/k) = (k/i) G} with {@code G ~ Gamma(1/k, rate 1)}, a draw is
 * computed as {@code sum_i G_i / i - (log s)/k}, in double precision, rounded to float32. Each
 * {@code G_i} comes from {@link GammaSampler#nextGammaReciprocalShape}.
 *
 * <p>{@link Placement}: by default ({@code AUTO}) on the host for CPU arrays, with the engine on
 * other devices (the same formula, Marsaglia–Tsang as array operations with masked redraws: not the
 * host's numbers).
 *
 * @param k the subset size, at least 1
 * @param s the number of Gamma terms, at least 1 (10 in the papers)
 * @param placement where the numbers are drawn
 */
public record SumOfGammaNoise(int k, int s, Placement placement) implements NoiseDistribution, HostSampled {

    /** The provider name. */
    public static final String NAME = "sum-of-gamma";

    /** The default number of Gamma terms, as in the I-MLE and AIMLE papers and reference code. */
    public static final int DEFAULT_TERMS = 10;

    /** Sum-of-Gamma noise placed {@link Placement#AUTO}. */
    public SumOfGammaNoise(int k, int s) {
        this(k, s, Placement.AUTO);
    }

    /** Validates the parameters. */
    public SumOfGammaNoise {
        Objects.requireNonNull(placement, "placement");
        if (k < 1) {
            throw new IllegalArgumentException(
                    "Sum-of-Gamma k (" + k + ") must be at least 1; it is the subset size of the MAP problem");
        }
        if (s < 1) {
            throw new IllegalArgumentException("Sum-of-Gamma s (" + s
                    + ") must be at least 1; it is the number of Gamma terms (10 in the papers)");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean drawsOnHost(Device device) {
        return !placement.usesEngine(device);
    }

    @Override
    public NDArray sample(NDManager manager, Shape shape, RandomGenerator random) {
        if (placement.usesEngine(manager.getDevice())) {
            HostNoise.checkedSize(NAME, shape);
            return EngineNoise.sumOfGamma(manager, shape, random, k, s);
        }
        return HostNoise.sample(manager, shape, random, NAME, filler());
    }

    @Override
    public void skip(Shape shape, RandomGenerator random) {
        HostNoise.skip(HostNoise.checkedSize(NAME, shape), random);
    }

    @Override
    public float[] sampleOnHost(Shape shape, RandomGenerator random) {
        return HostNoise.fill(HostNoise.checkedSize(NAME, shape), random, filler());
    }

    /** Fills a range of values from one generator (package-private for the benchmark). */
    HostNoise.ChunkFiller filler() {
        GammaSampler.ReciprocalShape constants = GammaSampler.ReciprocalShape.of(k);
        double[] reciprocals = new double[s];
        for (int i = 0; i < s; i++) {
            reciprocals[i] = 1.0 / (i + 1);
        }
        double offset = Math.log(s) / k;
        int kk = k;
        return (generator, values, from, to) -> {
            for (int j = from; j < to; j++) {
                double sum = 0.0;
                for (double reciprocal : reciprocals) {
                    sum += GammaSampler.nextGammaReciprocalShape(generator, kk, constants) * reciprocal;
                }
                values[j] = (float) (sum - offset);
            }
        };
    }

    @Override
    public String toString() {
        return "SumOfGamma(k=" + k + ", s=" + s + (placement == Placement.AUTO ? "" : ", on " + placement.configName())
                + ")";
    }
}
