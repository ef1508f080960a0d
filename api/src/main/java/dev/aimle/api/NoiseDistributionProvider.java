package dev.aimle.api;

/**
 * Creates {@link NoiseDistribution}s. Register an implementation in
 * {@code META-INF/services/dev.aimle.api.NoiseDistributionProvider}.
 */
public interface NoiseDistributionProvider extends NamedProvider {

    /**
     * Creates a noise distribution.
     *
     * @param config its parameters (e.g. {@code k} and {@code s} for Sum-of-Gamma); unknown keys
     *     are rejected
     * @throws IllegalArgumentException on a missing, unknown or out-of-range parameter
     */
    NoiseDistribution create(Config config);
}
