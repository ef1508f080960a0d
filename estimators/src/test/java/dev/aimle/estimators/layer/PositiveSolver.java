package dev.aimle.estimators.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.aimle.api.MapSolver;

/**
 * A test-local MAP oracle over all of {0,1}^n: {@code argmax_z <z, theta>} sets exactly the positive
 * scores (ties at 0 give 0).
 */
final class PositiveSolver implements MapSolver {

    @Override
    public NDArray solve(NDArray theta) {
        return theta.gt(0f).toType(DataType.FLOAT32, false);
    }

    @Override
    public String name() {
        return "positive";
    }

    @Override
    public boolean isBatchedOnDevice() {
        return true;
    }
}
