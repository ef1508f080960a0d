package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.contract.ContractViolation;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract over a minimising solver that declares everything the contract test needs (example
 * shape, feasible set, score domain), so the test overrides only {@link #createSolver()} and
 * {@link #wrongInstanceShape()}: the cheapest cell of each row of an {@code [r, c]} instance. It
 * solves with the shape-aware {@code solveInstance}, and refuses negative costs by name.
 */
class MinimisingContractTest extends MapSolverContractTest {

    /** In every row of an {@code [r, c]} instance, the cheapest cell (ties to the lower column). */
    static final class CheapestPerRow extends PerInstanceMapSolver {
        private final Sense declared;

        CheapestPerRow(Sense declared) {
            super(2);
            this.declared = declared;
        }

        @Override
        public String name() {
            return "cheapest-per-row";
        }

        @Override
        public Sense sense() {
            return declared;
        }

        @Override
        public Optional<Shape> exampleInstanceShape() {
            return Optional.of(new Shape(3, 4));
        }

        @Override
        public ScoreDomain scoreDomain() {
            return ScoreDomain.NON_NEGATIVE;
        }

        @Override
        public Optional<FeasibleSet> feasibleSet() {
            return Optional.of((z, shape) -> {
                int rows = (int) shape.get(0);
                int cols = (int) shape.get(1);
                for (int r = 0; r < rows; r++) {
                    float ones = 0;
                    for (int c = 0; c < cols; c++) {
                        ones += z[r * cols + c];
                    }
                    if (ones != 1f) {
                        return false;
                    }
                }
                return true;
            });
        }

        @Override
        protected void validateInstanceSize(int size) {
            throw new AssertionError("validateInstanceShape is overridden");
        }

        @Override
        protected void validateInstanceShape(Shape instanceShape) {
            if (instanceShape.dimension() != 2) {
                throw new IllegalArgumentException("instance shape " + instanceShape + " must be [rows, columns]");
            }
        }

        @Override
        protected void solveInstance(float[] scores, Shape instanceShape, float[] solution) {
            int rows = (int) instanceShape.get(0);
            int cols = (int) instanceShape.get(1);
            for (int r = 0; r < rows; r++) {
                int best = 0;
                for (int c = 0; c < cols; c++) {
                    float cost = scores[r * cols + c];
                    if (cost < 0) {
                        throw new IllegalArgumentException("cost " + cost + " at [" + r + ", " + c + "] is negative");
                    }
                    if (cost < scores[r * cols + best]) {
                        best = c;
                    }
                }
                solution[r * cols + best] = 1f;
            }
        }
    }

    @Override
    protected MapSolver createSolver() {
        return new CheapestPerRow(MapSolver.Sense.MINIMISE);
    }

    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(12);
    }

    @Test
    void theDeclaredShapeAndDomainAreUsed() {
        assertEquals(new Shape(3, 4), instanceShape());
        float[] scores = randomScores(1, 200);
        for (float s : scores) {
            assertTrue(s >= 0, "a non-negative domain drew " + s);
        }
    }

    /** The contract holds the solver to its declared sense: an argmin declared as argmax fails it. */
    @Test
    void aSolverThatDeclaresTheWrongSenseFailsTheOptimalityCheck() {
        MapSolverContractTest wrongSense = new MapSolverContractTest() {
            @Override
            protected MapSolver createSolver() {
                return new CheapestPerRow(MapSolver.Sense.MAXIMISE);
            }

            @Override
            protected Shape wrongInstanceShape() {
                return new Shape(12);
            }
        };
        wrongSense.openManager();
        try {
            ContractViolation e =
                    assertThrows(ContractViolation.class, wrongSense::solutionsAreOptimalAgainstEnumeration);
            assertTrue(e.getMessage().contains("but the highest feasible candidate scores"), e.getMessage());
        } finally {
            wrongSense.closeManager();
        }
    }

    @Test
    void aSolverOverridingNeitherSolveInstanceIsToldWhichToOverride() {
        PerInstanceMapSolver none = new PerInstanceMapSolver(1) {
            @Override
            public String name() {
                return "empty";
            }

            @Override
            protected void validateInstanceSize(int size) {}
        };
        UnsupportedOperationException e = assertThrows(
                UnsupportedOperationException.class,
                () -> none.solve(manager.create(new float[] {1, 2}, new Shape(1, 2))));
        assertTrue(e.getMessage().contains("must override solveInstance(float[], float[])"), e.getMessage());
    }
}
