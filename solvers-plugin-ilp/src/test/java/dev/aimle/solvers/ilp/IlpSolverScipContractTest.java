package dev.aimle.solvers.ilp;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverContractTest;

/**
 * The MAP solver contract on the SCIP backend, for n = 8 with {@code sum z == 3} and a knapsack
 * with thirds as weights ({@code w . z <= 4.1}), which the cp-sat backend would refuse. No sum of
 * thirds is within SCIP's feasibility tolerance (1e-6) of 4.1, so the exact check below applies.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class IlpSolverScipContractTest extends MapSolverContractTest {
    static final double[] WEIGHTS = {1 / 3.0, 5 / 3.0, 2 / 3.0, 7 / 3.0, 4 / 3.0, 2.0, 1.0, 8 / 3.0};
    static final double CAPACITY = 4.1;

    @Override
    protected MapSolver createSolver() {
        IlpProblem problem = IlpProblem.builder("card-thirds-8", 8)
                .equalTo(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, 3)
                .lessOrEqual(WEIGHTS, CAPACITY)
                .build();
        return IlpSolver.builder(problem)
                .optBackend(IlpSolver.Backend.SCIP)
                .optParallelism(2)
                .build();
    }

    @Override
    protected Shape instanceShape() {
        return new Shape(8);
    }

    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(9);
    }

    @Override
    protected boolean isFeasible(float[] z) {
        int count = 0;
        double weight = 0;
        for (int i = 0; i < z.length; i++) {
            count += z[i] == 1f ? 1 : 0;
            weight += z[i] == 1f ? WEIGHTS[i] : 0;
        }
        return count == 3 && weight <= CAPACITY;
    }
}
