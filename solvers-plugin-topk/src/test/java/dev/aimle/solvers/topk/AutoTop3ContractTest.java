package dev.aimle.solvers.topk;

import ai.djl.ndarray.types.Shape;

/**
 * The SPI contract for k = 3 on rows of 8, auto path (the default).
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class AutoTop3ContractTest extends TopKContractTestBase {
    AutoTop3ContractTest() {
        super(3, TopKSolver.Path.AUTO, new Shape(8));
    }
}
