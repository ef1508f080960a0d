package dev.aimle.solvers.topk;

import ai.djl.ndarray.types.Shape;

/**
 * The SPI contract for k = 3 on rows of 8, host path.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class HostTop3ContractTest extends TopKContractTestBase {
    HostTop3ContractTest() {
        super(3, TopKSolver.Path.HOST, new Shape(8));
    }
}
