package dev.aimle.solvers.topk;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverContractTest;

/**
 * The SPI contract for one configuration of {@link TopKSolver}: feasible means k ones in every row
 * of the last axis of the instance.
 */
abstract class TopKContractTestBase extends MapSolverContractTest {
    private final int k;
    private final TopKSolver.Path path;
    private final Shape instanceShape;

    TopKContractTestBase(int k, TopKSolver.Path path, Shape instanceShape) {
        this.k = k;
        this.path = path;
        this.instanceShape = instanceShape;
    }

    @Override
    protected MapSolver createSolver() {
        return new TopKSolver(k, path);
    }

    @Override
    protected Shape instanceShape() {
        return instanceShape;
    }

    /** A row shorter than k (for k = 1, an empty row). */
    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(k - 1);
    }

    @Override
    protected boolean isFeasible(float[] z) {
        int n = Math.toIntExact(instanceShape.get(instanceShape.dimension() - 1));
        for (int row = 0; row < z.length / n; row++) {
            float ones = 0;
            for (int i = 0; i < n; i++) {
                ones += z[row * n + i];
            }
            if (ones != k) {
                return false;
            }
        }
        return true;
    }
}
