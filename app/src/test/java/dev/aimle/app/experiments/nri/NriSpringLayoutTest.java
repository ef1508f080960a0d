package dev.aimle.app.experiments.nri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NriSpringLayoutTest {
    private static final double TOLERANCE = 1e-9;

    /** The path 0 - 1 - 2. */
    private static final double[] PATH = {
        0, 1, 0,
        1, 0, 1,
        0, 1, 0
    };

    /** p0 = (0, 0), p1 = (1, 0), p2 = (1, 1). */
    private static final double[] START = {0, 0, 1, 0, 1, 1};

    /**
     * One iteration by hand from networkx's formulas. n = 3, so k = sqrt(1/3) and k^2 = 1/3; the
     * ranges in x and y are both 1, so t = 0.1. With d_ij the distances (1 along the two edges,
     * sqrt(2) between 0 and 2), force_ij = k^2 / d^2 - A_ij d / k:
     *
     * <pre>
     * edge pairs:    1/3 - sqrt(3)            = -1.398717474...
     * pair (0, 2):   (1/3) / 2                =  1/6
     * D_0 = (-1, 0)(1/3 - sqrt 3) + (-1, -1)/6 = (sqrt 3 - 1/2, -1/6) = (1.232050808, -0.166666667)
     * D_1 = (1, 0)(1/3 - sqrt 3) + (0, -1)(1/3 - sqrt 3) = (-1.398717474, 1.398717474)
     * D_2 = (1, 1)/6 + (0, 1)(1/3 - sqrt 3)    = (1/6, 1/2 - sqrt 3)
     * |D_0| = |D_2| = sqrt((sqrt 3 - 1/2)^2 + 1/36) = 1.243272685, |D_1| = 1.978085222
     * each node moves by t D_i / |D_i| (length 0.1):
     * p0 = (0.099097392, -0.013405480), p1 = (1 - 0.1/sqrt 2, 0.1/sqrt 2) = (0.929289322, 0.070710678),
     * p2 = (1.013405480, 0.900902608)
     * </pre>
     */
    @Test
    void oneIterationMatchesTheHandComputation() {
        double[] p = START.clone();
        SpringLayout.iterate(p, PATH, 3, 1, 1e-10);
        assertArrayEquals(
                new double[] {
                    0.099097392073, -0.013405479637, 0.929289321881, 0.070710678119, 1.013405479637, 0.900902607927
                },
                p,
                TOLERANCE);
    }

    /**
     * Then rescale_layout: the means are (2.041793714 / 3, 0.958206286 / 3) = (0.680597905, 0.319402095);
     * centred, p0 = (-0.581500513, -0.332807575), p1 = (0.248691417, -0.248691417),
     * p2 = (0.332807575, 0.581500513); the largest magnitude is 0.581500513, so dividing by it:
     * p0 = (-1, -0.572326876), p1 = (0.427673124, -0.427673124), p2 = (0.572326876, 1).
     */
    @Test
    void oneSpringLayoutCallMatchesTheHandComputation() {
        double[] p = SpringLayout.call(START, PATH, 3, 1, 1e-10);
        assertArrayEquals(
                new double[] {-1, -0.572326876112, 0.427673123888, -0.427673123888, 0.572326876112, 1}, p, TOLERANCE);
        assertArrayEquals(new double[] {0, 0, 1, 0, 1, 1}, START, "the input is not modified");
    }

    @Test
    void aCallRescalesToUnitMaximumAroundTheOrigin() {
        double[] pos = {3, -2, 0.5, 7, -4, 1, 2, 2};
        double[] square = {0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0};
        double[] p = SpringLayout.call(pos, square, 4, 3, 1e-10);
        double maxAbs = 0;
        for (int d = 0; d < 2; d++) {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                sum += p[2 * i + d];
                maxAbs = Math.max(maxAbs, Math.abs(p[2 * i + d]));
            }
            assertEquals(0, sum, 1e-12, "mean of coordinate " + d);
        }
        assertEquals(1, maxAbs, 1e-15);
    }

    /** NumPy's pairwise order: for 10 values, ((a0+a1)+(a2+a3))+((a4+a5)+(a6+a7)), then + a8 + a9. */
    @Test
    void pairwiseSumAddsInNumpysOrder() {
        double[] a = {1e16, 1, -1e16, 1, 1, 1, 1, 1, 1, 1};
        double[] interleaved = new double[20];
        for (int i = 0; i < 10; i++) {
            interleaved[2 * i + 1] = a[i];
        }
        // (1e16 + 1) rounds to 1e16; + (-1e16 + 1) = 1 ... sequential order would lose both ones
        double expected = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
        expected += a[8];
        expected += a[9];
        assertEquals(expected, SpringLayout.pairwiseSum(interleaved, 1, 10));
        double sequential = 0;
        for (double v : a) {
            sequential += v;
        }
        assertEquals(7.0, sequential, "the sequential sum differs, so the test can fail");
        assertEquals(6.0, SpringLayout.pairwiseSum(interleaved, 1, 10));
    }
}
