package dev.aimle.estimators.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The table logarithm against {@link Math#log}. */
class LogarithmTest {
    /** Relative to the result; what the class documentation promises. */
    private static final double TOLERANCE = 1e-13;

    private static void assertClose(double x) {
        double expected = Math.log(x);
        double actual = Logarithm.log(x);
        if (actual == expected) {
            return; // also log 1 = 0 and the infinities
        }
        double error = Math.abs(actual - expected);
        assertTrue(
                error <= TOLERANCE * Math.abs(expected),
                "log(" + x + ") = " + actual + ", Math.log: " + expected + " (relative error "
                        + error / Math.abs(expected) + ")");
    }

    @Test
    void exponentialDrawsAreWithinTheToleranceAndAlmostAlwaysTheSameFloat() {
        SplittableRandom random = new SplittableRandom(2026);
        int differentFloats = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double e = random.nextExponential();
            assertClose(e);
            float ours = (float) -Logarithm.log(e);
            float reference = (float) -Math.log(e);
            if (ours != reference) {
                differentFloats++;
                assertEquals(reference, ours, Math.ulp(reference), "one unit in the last place at most, E = " + e);
            }
        }
        // about one value in a million is expected to round the other way (see the class documentation)
        assertTrue(differentFloats <= 20, differentFloats + " of 2,000,000 floats differ");
    }

    @Test
    void edgesAreWithinTheTolerance() {
        List<Double> edges = new ArrayList<>(List.of(
                Double.MIN_NORMAL, Double.MAX_VALUE, 1e-300, 1e-20, 0.5, 2.0, 4.0, 40.0, 700.0, Math.E, Math.sqrt(2)));
        for (int k = 1; k <= 64; k++) {
            edges.add(Math.nextUp(1.0) + (k - 1) * Math.ulp(1.0)); // just above 1: log x ~ 2e-16
            edges.add(1.0 - k * Math.ulp(0.5)); // just below 1
            edges.add(1.0 + k / 4096.0);
            edges.add(1.0 - k / 8192.0);
        }
        for (int i = 0; i < 2 * 256; i++) { // either side of every table boundary, in both halves
            double boundary = (1 + i / 256.0) * (i < 256 ? 1 : 0.5);
            edges.add(boundary);
            edges.add(Math.nextDown(boundary));
            edges.add(Math.nextUp(boundary));
        }
        for (double x : edges) {
            assertClose(x);
            assertClose(x * 0x1p40);
            assertClose(x * 0x1p-40);
        }
        assertEquals(0.0, Logarithm.log(1.0), 0.0, "log 1 is exactly 0");
    }

    @Test
    void whatIsNotAPositiveNormalDoubleGoesToMathLog() {
        for (double x : new double[] {
            0.0, -0.0, Double.MIN_VALUE, Math.nextDown(Double.MIN_NORMAL), Double.POSITIVE_INFINITY, -1.0, Double.NaN
        }) {
            assertEquals(Math.log(x), Logarithm.log(x), 0.0, "x = " + x);
        }
    }
}
