package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** {@link Enumeration}: the best feasible objective in either sense, its limit and its errors. */
class EnumerationTest {
    /** Exactly two ones. */
    private static final FeasibleSet TWO = (z, shape) -> {
        int ones = 0;
        for (float v : z) {
            ones += v == 1f ? 1 : 0;
        }
        return ones == 2;
    };

    @Test
    void theBestIsTheHighestForAMaximiserAndTheLowestForAMinimiser() {
        float[] scores = {3f, -1f, 0.5f, 2f};
        Shape shape = new Shape(4);
        assertEquals(5.0, Enumeration.best(TWO, scores, shape, MapSolver.Sense.MAXIMISE), 0);
        assertEquals(-0.5, Enumeration.best(TWO, scores, shape, MapSolver.Sense.MINIMISE), 0);
    }

    @Test
    void anInstanceAboveTheLimitIsRefusedNamingIt() {
        int n = Enumeration.LIMIT + 1;
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Enumeration.best(TWO, new float[n], new Shape(n), MapSolver.Sense.MAXIMISE));
        assertTrue(e.getMessage().contains("has 21 entries; enumeration is limited to 20"), e.getMessage());
    }

    @Test
    void anEmptyFeasibleSetAndAMismatchedShapeAreErrors() {
        IllegalStateException none = assertThrows(
                IllegalStateException.class,
                () -> Enumeration.best((z, s) -> false, new float[3], new Shape(3), MapSolver.Sense.MINIMISE));
        assertTrue(none.getMessage().contains("no binary vector"), none.getMessage());
        IllegalArgumentException size = assertThrows(
                IllegalArgumentException.class,
                () -> Enumeration.best(TWO, new float[3], new Shape(2, 2), MapSolver.Sense.MINIMISE));
        assertTrue(size.getMessage().contains("3 scores for an instance of shape (2, 2) (4)"), size.getMessage());
    }

    @Test
    void asGoodLooksInTheDirectionOfTheSense() {
        assertTrue(Enumeration.asGood(1.0, 1.0, MapSolver.Sense.MAXIMISE));
        assertTrue(Enumeration.asGood(2.0, 1.0, MapSolver.Sense.MAXIMISE));
        assertFalse(Enumeration.asGood(0.9, 1.0, MapSolver.Sense.MAXIMISE));
        assertTrue(Enumeration.asGood(0.9, 1.0, MapSolver.Sense.MINIMISE));
        assertFalse(Enumeration.asGood(2.0, 1.0, MapSolver.Sense.MINIMISE));
        // the relative slack: 1e-5 of |best| above 1
        assertTrue(Enumeration.asGood(1000.005, 1000.0, MapSolver.Sense.MINIMISE));
        assertFalse(Enumeration.asGood(1000.02, 1000.0, MapSolver.Sense.MINIMISE));
    }
}
