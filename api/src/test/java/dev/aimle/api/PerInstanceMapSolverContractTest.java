package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * Runs the contract over the smallest per-instance solver (a one-hot argmax written on the base
 * class), which checks both the base class's batching and the contract test itself.
 */
class PerInstanceMapSolverContractTest extends MapSolverContractTest {

    /** argmax per instance, ties to the lowest index. */
    static final class OneHotArgmax extends PerInstanceMapSolver {
        OneHotArgmax(int parallelism) {
            super(parallelism);
        }

        @Override
        public String name() {
            return "test-argmax";
        }

        @Override
        protected void validateInstanceSize(int size) {
            if (size < 2 || size > 12) {
                throw new IllegalArgumentException("instance size (" + size + ") must be between 2 and 12");
            }
        }

        @Override
        protected void solveInstance(float[] scores, float[] solution) {
            int best = 0;
            for (int i = 1; i < scores.length; i++) {
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            solution[best] = 1f;
        }
    }

    @Override
    protected MapSolver createSolver() {
        return new OneHotArgmax(2);
    }

    @Override
    protected Shape instanceShape() {
        return new Shape(2, 3);
    }

    @Override
    protected Shape wrongInstanceShape() {
        return new Shape(13);
    }

    @Override
    protected boolean isFeasible(float[] z) {
        float sum = 0;
        for (float v : z) {
            sum += v;
        }
        return sum == 1f;
    }

    @Test
    void parallelAndSequentialAgree() {
        NDArray theta = randomTheta(11, 37);
        assertArrayEquals(
                new OneHotArgmax(1).solve(theta).toFloatArray(),
                new OneHotArgmax(4).solve(theta).toFloatArray());
    }

    @Test
    void nanMessageNamesTheIndex() {
        float[] v = new float[12];
        v[7] = Float.NaN;
        NDArray theta = manager.create(v, new Shape(2, 6));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> createSolver().solve(theta));
        assertEquals("theta[1, 1] is NaN; all values must be finite (shape (2, 6))", e.getMessage());
    }

    @Test
    void anEmptyBatchGivesAnEmptyResultAndStillChecksTheInstanceSize() {
        NDArray empty = manager.create(new float[0], new Shape(0, 6));
        NDArray z = createSolver().solve(empty);
        assertEquals(new Shape(0, 6), z.getShape());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> createSolver().solve(manager.create(new float[0], new Shape(0, 13))));
        assertEquals("instance size (13) must be between 2 and 12", e.getMessage());
    }

    @Test
    void parallelismBelowOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new OneHotArgmax(0));
    }
}
