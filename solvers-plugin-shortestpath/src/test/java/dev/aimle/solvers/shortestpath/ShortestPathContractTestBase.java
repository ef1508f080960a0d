package dev.aimle.solvers.shortestpath;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverContractTest;

/**
 * The SPI contract, with what the solver declares: its example shape {@code [3, 4]} (4096 binary
 * vectors enumerated), its feasible set (the cell sets of simple corner-to-corner paths), its score
 * domain (|N(0, 1)| costs) and its sense (the lowest {@code <theta, z>} is the best).
 */
abstract class ShortestPathContractTestBase extends MapSolverContractTest {

    abstract ShortestPathSolver solver();

    @Override
    protected MapSolver createSolver() {
        return solver();
    }

    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(12);
    }
}
