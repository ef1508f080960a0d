package dev.aimle.solvers.spanningtree;

/** The SPI contract for {@link SpanningTreeSolver.Algorithm#PRIM}. */
class PrimContractTest extends SpanningTreeContractTestBase {
    @Override
    SpanningTreeSolver.Algorithm algorithm() {
        return SpanningTreeSolver.Algorithm.PRIM;
    }
}
