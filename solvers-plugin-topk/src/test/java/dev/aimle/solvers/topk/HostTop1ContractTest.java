package dev.aimle.solvers.topk;

import ai.djl.ndarray.types.Shape;

/**
 * The SPI contract for k = 1 on rows of 8, host path.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class HostTop1ContractTest extends TopKContractTestBase {
    HostTop1ContractTest() {
        super(1, TopKSolver.Path.HOST, new Shape(8));
    }
}
