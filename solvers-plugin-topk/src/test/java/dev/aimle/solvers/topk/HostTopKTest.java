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
    void everyMethodGivesTheReferenceForEveryKItServes() {
        for (int n : new int[] {1, 2, 3, 4, 7, 17, 20, 24, 33, 50, 400}) {
            for (int k = 1; k <= n; k += k < 12 ? 1 : Math.max(1, n / 5)) {
                long seed = 1000L * n + k;
                for (float[] scores : rowsOf(n, seed)) {
                    float[] expected = Reference.topK(scores, n, k);
                    int served = 0;
                    for (HostTopK.Method method : HostTopK.Method.values()) {
                        HostTopK solver;
                        try {
                            solver = new HostTopK(n, k, method);
                        } catch (IllegalArgumentException notServed) {
                            continue;
                        }
                        served++;
                        float[] out = new float[scores.length];
                        solver.solveRows(scores, out, 0, scores.length / n);
                        assertArrayEquals(expected, out, "seed " + seed + ", n = " + n + ", k = " + k + ", " + method);
                    }
                    assertTrue(served >= 2, "n = " + n + ", k = " + k + " was solved by " + served + " methods");
                }
            }
        }
    }

    @Test
    void theMergeExchangeNetworkSortsEveryZeroOneInput() {
        // A comparator network sorts every input if it sorts every input of 0s and 1s (Knuth's 0-1
        // principle), so this is exhaustive for n <= 16; longer rows get random permutations.
        for (int n = 0; n <= HostTopK.NETWORK_LIMIT; n++) {
            int[] pairs = HostTopK.mergeExchangeNetwork(n);
            if (n <= 16) {
                for (int bits = 0; bits < 1 << n; bits++) {
                    long[] w = new long[n];
                    for (int i = 0; i < n; i++) {
                        w[i] = (bits >>> i) & 1;
                    }
                    assertSorted(apply(pairs, w), "n = " + n + ", input bits " + Integer.toBinaryString(bits));
                }
            } else {
                SplittableRandom random = new SplittableRandom(n);
                for (int trial = 0; trial < 20_000; trial++) {
                    long[] w = new long[n];
                    for (int i = 0; i < n; i++) {
                        w[i] = random.nextLong();
                    }
                    assertSorted(apply(pairs, w), "n = " + n + ", trial " + trial);
                }
            }
        }
        assertEquals(2 * 97, HostTopK.mergeExchangeNetwork(20).length, "Knuth's count for n = 20");
    }

    private static long[] apply(int[] pairs, long[] w) {
        for (int p = 0; p < pairs.length; p += 2) {
            assertTrue(pairs[p] < pairs[p + 1], "pairs go from the lower index to the higher");
            long a = w[pairs[p]];
            long b = w[pairs[p + 1]];
            w[pairs[p]] = Math.min(a, b);
            w[pairs[p + 1]] = Math.max(a, b);
        }
        return w;
    }

    private static void assertSorted(long[] w, String message) {
        for (int i = 1; i < w.length; i++) {
            assertTrue(w[i - 1] <= w[i], message);
        }
    }

    @Test
    void theDefaultMethodFollowsTheMeasuredRule() {
        assertEquals(HostTopK.Method.NETWORK, HostTopK.methodFor(20, 10), "the DVAE's rows");
        assertEquals(HostTopK.Method.NETWORK, HostTopK.methodFor(17, 16), "k close to a short n");
        assertEquals(HostTopK.Method.FILTER, HostTopK.methodFor(20, 2), "small k on a short row");
        assertEquals(HostTopK.Method.FILTER, HostTopK.methodFor(400, 10));
        assertEquals(HostTopK.Method.FILTER, HostTopK.methodFor(40, 10), "n above the network's limit");
        assertEquals(HostTopK.Method.BUFFER, HostTopK.methodFor(400, HostTopK.FILTER_LIMIT + 1));
        assertEquals(HostTopK.Method.BUFFER, HostTopK.methodFor(30, 16), "rows shorter than 2k");
        assertEquals(HostTopK.Method.SELECTION, HostTopK.methodFor(400, HostTopK.BUFFER_LIMIT + 1));
        assertEquals(HostTopK.Method.ARGMAX, HostTopK.methodFor(20, 1));
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
    void aMethodRefusesWhatItCannotServe() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new HostTopK(5, 1, HostTopK.Method.FILTER));
        assertEquals("FILTER cannot solve top-1 of rows of 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HostTopK(5, 6, HostTopK.Method.FILTER));
        assertThrows(IllegalArgumentException.class, () -> new HostTopK(25, 10, HostTopK.Method.NETWORK));
        assertThrows(IllegalArgumentException.class, () -> new HostTopK(5, 2, HostTopK.Method.ARGMAX));
        assertThrows(IllegalArgumentException.class, () -> new HostTopK(40, 17, HostTopK.Method.BUFFER));
        assertThrows(IllegalArgumentException.class, () -> new HostTopK(5, 0, HostTopK.Method.SELECTION));
    }
}
