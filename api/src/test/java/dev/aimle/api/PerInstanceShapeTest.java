package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** {@link PerInstanceMapSolver#validateInstanceShape} sees the instance's axes, not only its size. */
class PerInstanceShapeTest {

    /** An m x m assignment-like solver: the largest entry of each row (its own shape rule). */
    static final class RowArgmaxOfSquare extends PerInstanceMapSolver {
        RowArgmaxOfSquare() {
            super(1);
        }

        @Override
        public String name() {
            return "square";
        }

        @Override
        protected void validateInstanceSize(int size) {
            // the shape check below is the real one
        }

        @Override
        protected void validateInstanceShape(Shape instance) {
            if (instance.dimension() != 2 || instance.get(0) != instance.get(1)) {
                throw new IllegalArgumentException("solver 'square' expects square instances [m, m], got " + instance);
            }
        }

        @Override
        protected void solveInstance(float[] scores, float[] solution) {
            int m = (int) Math.round(Math.sqrt(scores.length));
            for (int r = 0; r < m; r++) {
                int best = 0;
                for (int c = 1; c < m; c++) {
                    if (scores[r * m + c] > scores[r * m + best]) {
                        best = c;
                    }
                }
                solution[r * m + best] = 1f;
            }
        }
    }

    @Test
    void aSixteenScoreInstanceOfTheWrongShapeIsRefusedThoughItsSizeFits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MapSolver solver = new RowArgmaxOfSquare();
            float[] scores = new float[2 * 16];
            for (int b = 0; b < 2; b++) {
                for (int r = 0; r < 4; r++) {
                    scores[b * 16 + r * 4 + (r + b + 1) % 4] = 1f; // one largest score per row
                }
            }
            assertArrayEquals(
                    scores,
                    solver.solve(manager.create(scores, new Shape(2, 4, 4))).toFloatArray(),
                    0f);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> solver.solve(manager.create(scores, new Shape(2, 2, 8))));
            assertEquals("solver 'square' expects square instances [m, m], got (2, 8)", e.getMessage());
        }
    }
}
