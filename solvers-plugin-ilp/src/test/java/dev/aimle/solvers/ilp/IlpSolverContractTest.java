package dev.aimle.solvers.ilp;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverContractTest;

/**
 * The MAP solver contract on the CP-SAT backend, for n = 8 with a cardinality window
 * {@code 2 <= sum z <= 4} and a knapsack {@code w . z <= 12}.
 *
 * <p>The test methods and their assertions are inherited from the api's MapSolverContractTest.
 */
class IlpSolverContractTest extends MapSolverContractTest {
    static final double[] WEIGHTS = {3, 5, 2, 7, 4, 6, 1, 8};
    static final double CAPACITY = 12;

    static IlpProblem knapsack() {
        double[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
        return IlpProblem.builder("card-knapsack-8", 8)
                .addConstraint("at-least-2", ones, IlpProblem.Sense.GREATER_OR_EQUAL, 2)
                .addConstraint("at-most-4", ones, IlpProblem.Sense.LESS_OR_EQUAL, 4)
                .addConstraint("knapsack", WEIGHTS, IlpProblem.Sense.LESS_OR_EQUAL, CAPACITY)
                .build();
    }

    @Override
    protected MapSolver createSolver() {
        return IlpSolver.builder(knapsack()).optParallelism(2).build();
    }

    @Override
    protected Shape instanceShape() {
        return new Shape(8);
    }

    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(7);
    }

    /** Written independently of {@link IlpProblem#isFeasible}. */
    @Override
    protected boolean isFeasible(float[] z) {
        int count = 0;
        double weight = 0;
        for (int i = 0; i < z.length; i++) {
            count += z[i] == 1f ? 1 : 0;
            weight += z[i] == 1f ? WEIGHTS[i] : 0;
        }
        return count >= 2 && count <= 4 && weight <= CAPACITY;
    }

    @org.junit.jupiter.api.Test
    void theSolverDeclaresTheProblemsShapeAndFeasibleSet() {
        dev.aimle.api.MapSolver solver = createSolver();
        org.junit.jupiter.api.Assertions.assertEquals(
                new Shape(8), solver.exampleInstanceShape().orElseThrow());
        dev.aimle.api.FeasibleSet declared = solver.feasibleSet().orElseThrow();
        float[] z = new float[8];
        for (int mask = 0; mask < 256; mask++) {
            for (int i = 0; i < 8; i++) {
                z[i] = (mask >> i & 1) == 1 ? 1f : 0f;
            }
            org.junit.jupiter.api.Assertions.assertEquals(
                    isFeasible(z), declared.contains(z, new Shape(8)), "mask " + mask);
        }
    }
}
