package dev.aimle.solvers.spanningtree;

/** The SPI contract for {@link SpanningTreeSolver.Algorithm#JGRAPHT_KRUSKAL}. */
class JGraphTKruskalContractTest extends SpanningTreeContractTestBase {
    @Override
    SpanningTreeSolver.Algorithm algorithm() {
        return SpanningTreeSolver.Algorithm.JGRAPHT_KRUSKAL;
    }
}
