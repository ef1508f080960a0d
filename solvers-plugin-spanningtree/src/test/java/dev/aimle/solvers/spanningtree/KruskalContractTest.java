package dev.aimle.solvers.spanningtree;

/** The SPI contract for {@link SpanningTreeSolver.Algorithm#KRUSKAL}. */
class KruskalContractTest extends SpanningTreeContractTestBase {
    @Override
    SpanningTreeSolver.Algorithm algorithm() {
        return SpanningTreeSolver.Algorithm.KRUSKAL;
    }
}
