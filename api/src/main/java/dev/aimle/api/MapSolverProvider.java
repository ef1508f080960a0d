package dev.aimle.api;

/**
 * Creates {@link MapSolver}s. Register an implementation in
 * {@code META-INF/services/dev.aimle.api.MapSolverProvider}; it needs a public no-argument
 * constructor.
 */
public interface MapSolverProvider extends NamedProvider {

    /**
     * Creates a solver.
     *
     * @param config the solver's parameters, e.g. {@code k} for top-k; unknown keys are rejected
     * @throws IllegalArgumentException on a missing, unknown or out-of-range parameter
     */
    MapSolver create(Config config);
}
