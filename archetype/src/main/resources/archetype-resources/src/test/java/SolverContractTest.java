package ${package};

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverContractTest;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.MapSolvers;
import dev.aimle.api.ProviderRegistry;

/**
 * The published contract (aimle-api test-jar): shape, device, float32, binary feasible outputs,
 * optimality against enumeration, determinism, an unmodified input, and the NaN/Inf, rank and size
 * errors. The solver is found the way the app finds it (the services file) and wrapped the way the
 * app wraps it ({@link MapSolvers#create}: every output checked, every call time-limited). The
 * assertions are the contract test's own: this class only says which solver and which instance shape.
 */
class SolverContractTest extends MapSolverContractTest {

    @Override
    protected MapSolver createSolver() {
        ProviderRegistry<MapSolverProvider> registry = ProviderRegistry.fromClasspath(
                "map solver", MapSolverProvider.class, getClass().getClassLoader());
        return MapSolvers.create(registry, SolverProvider.NAME, Config.of("parallelism", 2),
                MapSolvers.Guard.defaults());
    }

    @Override
    protected Shape instanceShape() {
        return new Shape(7);
    }

    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(2, 4);
    }

    /** The solver's own feasible set (exactly one item chosen). */
    @Override
    protected boolean isFeasible(float[] z) {
        return new Solver(1).feasibleSet().orElseThrow().contains(z, instanceShape());
    }
}
