package ${package};

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverContractTest;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.runtime.MapSolvers;
import dev.aimle.runtime.ProviderRegistry;

/**
 * The published contract (aimle-api test-jar): shape, device, float32, binary feasible outputs,
 * optimality against enumeration, determinism, an unmodified input, and the NaN/Inf, rank and size
 * errors. The solver is found the way the app finds it (the services file) and wrapped the way the
 * app wraps it ({@link MapSolvers#create}: every output checked, every call time-limited). The
 * assertions are the contract test's own: this class only says which solver and which shape it must
 * refuse; the instance shape, feasible set, score domain and sense come from the solver. Every check
 * is a protected method you may override (e.g. {@code bestObjective} for a faster optimum).
 */
class SolverContractTest extends MapSolverContractTest {

    @Override
    protected MapSolver createSolver() {
        ProviderRegistry<MapSolverProvider> registry = ProviderRegistry.fromClasspath(
                "map solver", MapSolverProvider.class, getClass().getClassLoader());
        return MapSolvers.create(registry, SolverProvider.NAME, Config.of("parallelism", 2),
                MapSolvers.Guard.defaults());
    }

    /** The instance shape and the feasible set are the ones the solver declares. */
    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(2, 4);
    }
}
