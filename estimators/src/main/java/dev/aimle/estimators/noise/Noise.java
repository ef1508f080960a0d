package dev.aimle.estimators.noise;

import dev.aimle.api.NoiseDistribution;

/**
 * Factories for the built-in noise distributions, for use from code:
 *
 * <pre>{@code
 * NoiseDistribution gumbel = Noise.gumbel();          // k = 1 (argmax)
 * NoiseDistribution sog = Noise.sumOfGamma(10, 10);   // top-10 subsets, 10 Gamma terms
 * NoiseDistribution none = Noise.none();              // zeros
 * }</pre>
 *
 * <p>Each call returns a new immutable value; there is no shared state. The same distributions are
 * discoverable by name ({@code "gumbel"}, {@code "sum-of-gamma"}, {@code "none"}) through
 * {@link dev.aimle.api.NoiseDistributionProvider}.
 */
public final class Noise {

    private Noise() {}

    /** {@code Gumbel(0, 1)}; see {@link GumbelNoise}. */
    public static NoiseDistribution gumbel() {
        return new GumbelNoise();
    }

    /**
     * {@code SoG(k, s) = (sum_{i=1..s} Gamma(1/k, rate i/k) - log s) / k}; see {@link SumOfGammaNoise}.
     *
     * @param k the subset size, at least 1
     * @param s the number of Gamma terms, at least 1
     * @throws IllegalArgumentException if k or s is below 1
     */
    public static NoiseDistribution sumOfGamma(int k, int s) {
        return new SumOfGammaNoise(k, s);
    }

    /** Sum-of-Gamma with the papers' {@value SumOfGammaNoise#DEFAULT_TERMS} terms. */
    public static NoiseDistribution sumOfGamma(int k) {
        return new SumOfGammaNoise(k, SumOfGammaNoise.DEFAULT_TERMS);
    }

    /** {@code Gumbel(0, 1)} drawn where {@code placement} says; see {@link Placement}. */
    public static NoiseDistribution gumbel(Placement placement) {
        return new GumbelNoise(placement);
    }

    /** Sum-of-Gamma drawn where {@code placement} says; see {@link Placement}. */
    public static NoiseDistribution sumOfGamma(int k, int s, Placement placement) {
        return new SumOfGammaNoise(k, s, placement);
    }

    /** Zeros; see {@link NoNoise}. */
    public static NoiseDistribution none() {
        return new NoNoise();
    }
}
