package dev.aimle.solvers.topk;

import ai.djl.ndarray.types.Shape;

/**
 * The SPI contract for k = 1 on rows of 8, tensor path.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class TensorTop1ContractTest extends TopKContractTestBase {
    TensorTop1ContractTest() {
        super(1, TopKSolver.Path.TENSOR, new Shape(8));
    }
}
