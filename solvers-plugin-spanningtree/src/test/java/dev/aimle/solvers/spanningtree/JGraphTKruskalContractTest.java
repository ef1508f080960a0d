package dev.aimle.solvers.spanningtree;

/**
 * The SPI contract for {@link SpanningTreeSolver.Algorithm#JGRAPHT_KRUSKAL}.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class JGraphTKruskalContractTest extends SpanningTreeContractTestBase {
    @Override
    SpanningTreeSolver.Algorithm algorithm() {
        return SpanningTreeSolver.Algorithm.JGRAPHT_KRUSKAL;
    }
}
