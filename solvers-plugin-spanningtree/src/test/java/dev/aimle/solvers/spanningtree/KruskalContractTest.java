package dev.aimle.solvers.spanningtree;

/**
 * The SPI contract for {@link SpanningTreeSolver.Algorithm#KRUSKAL}.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class KruskalContractTest extends SpanningTreeContractTestBase {
    @Override
    SpanningTreeSolver.Algorithm algorithm() {
        return SpanningTreeSolver.Algorithm.KRUSKAL;
    }
}
