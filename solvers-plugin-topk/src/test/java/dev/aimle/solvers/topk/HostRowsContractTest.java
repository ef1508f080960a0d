package dev.aimle.solvers.topk;

import ai.djl.ndarray.types.Shape;

/**
 * The SPI contract for k = 2 on instances of 3 rows of 5 (per last-axis row), host path.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class HostRowsContractTest extends TopKContractTestBase {
    HostRowsContractTest() {
        super(2, TopKSolver.Path.HOST, new Shape(3, 5));
    }
}
