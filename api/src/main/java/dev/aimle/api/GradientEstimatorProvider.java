package dev.aimle.api;

/**
 * Creates {@link GradientEstimator}s. Register an implementation in
 * {@code META-INF/services/dev.aimle.api.GradientEstimatorProvider}.
 */
public interface GradientEstimatorProvider extends NamedProvider {

    /**
     * Creates an estimator.
     *
     * @param config its parameters (e.g. {@code lambda} for IMLE); unknown keys are rejected
     * @throws IllegalArgumentException on a missing, unknown or out-of-range parameter
     */
    GradientEstimator create(Config config);
}
