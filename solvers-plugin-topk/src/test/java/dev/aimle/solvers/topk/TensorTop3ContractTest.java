package dev.aimle.solvers.topk;

import ai.djl.ndarray.types.Shape;

/**
 * The SPI contract for k = 3 on rows of 8, tensor path.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class TensorTop3ContractTest extends TopKContractTestBase {
    TensorTop3ContractTest() {
        super(3, TopKSolver.Path.TENSOR, new Shape(8));
    }
}
