package dev.aimle.solvers.spanningtree;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverContractTest;

/**
 * The SPI contract on complete graphs of 5 nodes (10 edges, 125 spanning trees among the 1024
 * binary vectors the contract enumerates), for one algorithm per subclass.
 */
abstract class SpanningTreeContractTestBase extends MapSolverContractTest {

    /** The algorithm under test. */
    abstract SpanningTreeSolver.Algorithm algorithm();

    @Override
    protected MapSolver createSolver() {
        return new SpanningTreeSolver(algorithm(), 2);
    }

    @Override
    protected Shape instanceShape() {
        return new Shape(10);
    }

    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(7);
    }

    @Override
    protected boolean isFeasible(float[] z) {
        return TreeChecks.isSpanningTree(z);
    }
}
