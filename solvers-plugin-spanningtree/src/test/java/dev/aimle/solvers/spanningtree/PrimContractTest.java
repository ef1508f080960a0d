package dev.aimle.solvers.spanningtree;

/**
 * The SPI contract for {@link SpanningTreeSolver.Algorithm#PRIM}.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class PrimContractTest extends SpanningTreeContractTestBase {
    @Override
    SpanningTreeSolver.Algorithm algorithm() {
        return SpanningTreeSolver.Algorithm.PRIM;
    }
}
