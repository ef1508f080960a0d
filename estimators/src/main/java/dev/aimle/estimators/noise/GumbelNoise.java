package dev.aimle.estimators.noise;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.NoiseDistribution;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Standard Gumbel noise, {@code Gumbel(0, 1)}: {@code eps = -log(-log U)} with {@code U ~ U(0, 1)}.
 * Its mean is the Euler–Mascheroni constant 0.5772 and its variance {@code pi^2/6}. With it,
 * {@code argmax(theta + eps)} is an exact sample of {@code softmax(theta)} (the Gumbel-max trick),
 * the perturbation used for k = 1 in the AAAI-23 paper.
 *
 * <p>Values are computed on the host in double precision and rounded to float32 as
 * {@code eps = -log E} with {@code E ~ Exp(1)} (since {@code -log U ~ Exp(1)}), E drawn by the
 * generator's {@link RandomGenerator#nextExponential()} (the JDK's exact ziggurat of McFarland,
 * which Sum-of-Gamma's Gaussian draws also rely on): one logarithm per value instead of two, which
 * about halves the time (figures in the README's speed section). The numbers differ from those of releases that computed
 * {@code -log(-log U)}; the distribution is the same. The logarithm is {@link Logarithm}'s, a table
 * and a polynomial, faster than {@code Math.log} and within 1e-13 of it (none of ten million
 * float32 values differed; one could, by a unit in the last place). See {@link HostNoise} for how the work is split
 * and why the result does not depend on the number of threads.
 *
 * <p>{@link Placement}: by default ({@code AUTO}) on the host for CPU arrays, with the engine on
 * other devices ({@code -log(-log U)} with the engine's uniform draws: not the host's numbers).
 *
 * @param placement where the numbers are drawn
 */
public record GumbelNoise(Placement placement) implements NoiseDistribution, HostSampled {

    /** The provider name. */
    public static final String NAME = "gumbel";

    /**
     * Below this many values one thread draws them all: a value costs a few nanoseconds, and handing
     * chunks to the pool cost more than it saved (the bench's 6,400 values of the k = 1 case took
     * about twice as long through the pool as on the calling thread).
     */
    static final int PARALLEL_FROM = 4 * HostNoise.CHUNK;

    /** Requires a placement. */
    public GumbelNoise {
        Objects.requireNonNull(placement, "placement");
    }

    /** Gumbel noise placed {@link Placement#AUTO}. */
    public GumbelNoise() {
        this(Placement.AUTO);
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
            return EngineNoise.gumbel(manager, shape, random);
        }
        return HostNoise.sample(manager, shape, random, NAME, GumbelNoise::fill, PARALLEL_FROM);
    }

    @Override
    public void skip(Shape shape, RandomGenerator random) {
        HostNoise.skip(HostNoise.checkedSize(NAME, shape), random);
    }

    @Override
    public float[] sampleOnHost(Shape shape, RandomGenerator random) {
        return HostNoise.fill(HostNoise.checkedSize(NAME, shape), random, GumbelNoise::fill, PARALLEL_FROM);
    }

    /** Values per block of {@link #fill}: the exponential draws of a block, then their logarithms. */
    private static final int BLOCK = 512;

    /**
     * Fills a range of values from one generator (package-private for the benchmark). In blocks of
     * two passes, the draws and then their logarithms: the same numbers as one pass that draws and
     * takes the logarithm of each value in turn, in about half the time (a loop of logarithms alone
     * pipelines, interleaved with the ziggurat's branches it does not).
     */
    static void fill(RandomGenerator random, float[] values, int from, int to) {
        double[] exponentials = new double[Math.min(BLOCK, Math.max(0, to - from))];
        for (int start = from; start < to; start += BLOCK) {
            int n = Math.min(BLOCK, to - start);
            for (int i = 0; i < n; i++) {
                double e = random.nextExponential();
                while (e == 0) { // possible in principle (-log 0 is infinite), so redrawn, deterministically
                    e = random.nextExponential();
                }
                exponentials[i] = e;
            }
            for (int i = 0; i < n; i++) {
                values[start + i] = (float) -Logarithm.log(exponentials[i]);
            }
        }
    }

    @Override
    public String toString() {
        return placement == Placement.AUTO ? "Gumbel(0, 1)" : "Gumbel(0, 1) on " + placement.configName();
    }
}
