package dev.aimle.solvers.topk;

import ai.djl.ndarray.types.Shape;

/** The SPI contract for k = 1 on rows of 8, tensor path. */
class TensorTop1ContractTest extends TopKContractTestBase {
    TensorTop1ContractTest() {
        super(1, TopKSolver.Path.TENSOR, new Shape(8));
    }
}
