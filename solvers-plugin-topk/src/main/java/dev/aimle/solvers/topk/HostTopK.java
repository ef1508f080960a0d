package dev.aimle.solvers.topk;

import java.util.Arrays;

/**
 * Top-k of rows of a flat {@code float[]} on the host, with the solver's tie rule (among equal
 * scores the lower index wins; {@code -0.0} equals {@code 0.0}).
 *
 * <p>For k = 1 a single scan with a strict comparison. For k &ge; 2 each score is mapped to a
 * {@code long} key whose order is the tie rule's total order (the score's order-preserving integer
 * image in the high 32 bits, {@code n - 1 - index} in the low 32 bits); the k-th largest key is found
 * by quickselect (expected O(n), with a deterministic fallback to sorting the remaining range) and
 * the row is the indicator of the keys at or above it. Keys are distinct, so exactly k entries are
 * chosen and the chosen set does not depend on how the selection proceeds.
 *
 * <p>Instances hold per-call scratch arrays: use one per thread.
 */
final class HostTopK {
    /** Below this range length quickselect sorts instead of partitioning. */
    private static final int SORT_THRESHOLD = 16;

    private final int n;
    private final int k;
    private final long[] keys;
    private final long[] work;

    HostTopK(int n, int k) {
        this.n = n;
        this.k = k;
        this.keys = k == 1 ? new long[0] : new long[n];
        this.work = k == 1 ? new long[0] : new long[n];
    }

    /** Writes the top-k indicator of rows {@code [from, to)} of {@code scores} into {@code out}. */
    void solveRows(float[] scores, float[] out, int from, int to) {
        for (int row = from; row < to; row++) {
            int offset = row * n;
            if (k == 1) {
                out[offset + argmax(scores, offset, n)] = 1f;
            } else {
                solveRow(scores, out, offset);
            }
        }
    }

    /** The index (relative to {@code offset}) of the largest score, the lowest index among equals. */
    static int argmax(float[] scores, int offset, int n) {
        int best = 0;
        float bestValue = scores[offset];
        for (int i = 1; i < n; i++) {
            float v = scores[offset + i];
            if (v > bestValue) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }

    private void solveRow(float[] scores, float[] out, int offset) {
        for (int i = 0; i < n; i++) {
            keys[i] = key(scores[offset + i], i, n);
        }
        System.arraycopy(keys, 0, work, 0, n);
        long threshold = select(work, n - k);
        for (int i = 0; i < n; i++) {
            if (keys[i] >= threshold) {
                out[offset + i] = 1f;
            }
        }
    }

    /**
     * The tie rule's sort key: larger score first, then lower index first. Scores are finite;
     * {@code -0.0} is mapped to {@code 0.0} so that it ties with it as in a float comparison.
     */
    static long key(float score, int index, int n) {
        int bits = Float.floatToRawIntBits(score + 0.0f);
        int ordered = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ordered << 32) | (long) (n - 1 - index);
    }

    /**
     * The element that would be at {@code target} if {@code a} were sorted ascending; reorders
     * {@code a}. Hoare partitioning around a median of three; after a logarithmic number of rounds
     * without convergence the remaining range is sorted, bounding the worst case by O(n log n).
     */
    static long select(long[] a, int target) {
        int lo = 0;
        int hi = a.length - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(a.length)) + 4;
        while (hi > lo) {
            if (hi - lo < SORT_THRESHOLD || budget-- == 0) {
                Arrays.sort(a, lo, hi + 1);
                return a[target];
            }
            long pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return a[target];
            }
        }
        return a[target];
    }

    private static long medianOfThree(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
