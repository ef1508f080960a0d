package dev.aimle.solvers.topk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The host selections against the sorting reference, each method forced where it applies. */
class HostTopKTest {

    /** Rows of random Gaussians, small integers (ties everywhere), signed zeros, and extremes. */
    private static float[][] rowsOf(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rows = 50;
        float[] gaussian = Reference.gaussian(seed, rows * n);
        float[] ties = Reference.smallIntegers(seed + 1, rows * n, 3);
        float[] zeros = new float[rows * n];
        float[] extremes = new float[rows * n];
        float[] pool = {
            -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, Float.MIN_NORMAL
        };
        for (int i = 0; i < rows * n; i++) {
            zeros[i] = random.nextBoolean() ? -0f : random.nextInt(4) == 0 ? -1f : 0f;
            extremes[i] = pool[random.nextInt(pool.length)];
        }
        return new float[][] {gaussian, ties, zeros, extremes};
    }

    @Test
    void theThresholdFilterAndTheScanGiveTheReferenceForEveryKFromTwoToN() {
        for (int n : new int[] {2, 3, 4, 7, 20, 33, 50, 400}) {
            for (int k = 2; k <= n; k += k < 12 ? 1 : Math.max(1, n / 5)) {
                long seed = 1000L * n + k;
                for (float[] scores : rowsOf(n, seed)) {
                    float[] expected = Reference.topK(scores, n, k);
                    for (boolean filtered : new boolean[] {true, false}) {
                        float[] out = new float[scores.length];
                        new HostTopK(n, k, filtered).solveRows(scores, out, 0, scores.length / n);
                        assertArrayEquals(
                                expected,
                                out,
                                "seed " + seed + ", n = " + n + ", k = " + k + (filtered ? ", filter" : ", default"));
                    }
                }
            }
        }
    }

    @Test
    void theFilterIsTheDefaultForSmallKOnRowsOfAtLeastTwoK() {
        assertTrue(HostTopK.filters(20, 10), "the DVAE's rows");
        assertTrue(HostTopK.filters(400, 2));
        assertFalse(HostTopK.filters(19, 10), "rows shorter than 2k");
        assertFalse(HostTopK.filters(400, HostTopK.FILTER_LIMIT + 1), "k above the limit");
        assertFalse(HostTopK.filters(400, 1), "k = 1 has its own scan");
    }

    @Test
    void theOrderKeyIsTheFloatOrderWithSignedZerosEqual() {
        float[] ascending = {
            -Float.MAX_VALUE,
            -1e30f,
            -1f,
            -Float.MIN_NORMAL,
            -Float.MIN_VALUE,
            0f,
            Float.MIN_VALUE,
            Float.MIN_NORMAL,
            1f,
            1e30f,
            Float.MAX_VALUE
        };
        for (int i = 1; i < ascending.length; i++) {
            assertTrue(
                    HostTopK.orderKey(ascending[i - 1]) < HostTopK.orderKey(ascending[i]),
                    ascending[i - 1] + " < " + ascending[i]);
        }
        assertEquals(HostTopK.orderKey(0f), HostTopK.orderKey(-0f), "-0.0 equals 0.0");
    }

    @Test
    void theFinitenessCheckFindsEveryNonFiniteValueAtEveryPositionAndNothingElse() {
        float[] finite = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, 0f, 1f, -1f, 3e38f, -3e38f};
        assertTrue(HostTopK.allFinite(finite, 0, finite.length), "the largest and smallest finite values pass");
        assertTrue(HostTopK.allFinite(new float[0], 0, 0), "nothing is finite");
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int length = 1; length <= 9; length++) { // every position in the blocks of four and the tail
                for (int at = 0; at < length; at++) {
                    float[] values = new float[length + 2];
                    values[1 + at] = bad;
                    assertFalse(HostTopK.allFinite(values, 1, length + 1), bad + " at " + at + " of " + length);
                    assertTrue(
                            HostTopK.allFinite(values, 1 + at + 1, length + 1),
                            "the range after it, " + bad + " at " + at);
                }
            }
        }
    }

    @Test
    void theFilterRefusesAKItCannotServe() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HostTopK(5, 1, true));
        assertEquals("the threshold filter needs 2 <= k <= n, got k = 1, n = 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HostTopK(5, 6, true));
    }
}
