package dev.aimle.solvers.topk;

import java.util.Arrays;

/**
 * Top-k of rows of a flat {@code float[]} on the host, with the solver's tie rule: among equal
 * scores the lower index wins ({@code -0.0} equals {@code 0.0}, as in a float comparison).
 *
 * <ul>
 *   <li>k = 1: one scan with a strict comparison.
 *   <li>2 &le; k &le; {@link #FILTER_LIMIT} and rows of at least 2k scores: a threshold filter
 *       without a branch on the scores (below).
 *   <li>Otherwise k &le; {@link #BUFFER_LIMIT}: one scan keeping the best k (score, index) pairs in a small
 *       sorted buffer; a later score enters only when strictly greater than the buffer's smallest,
 *       so an earlier equal score is never displaced. On random scores only about
 *       {@code k ln(n / k)} of the n scores enter, so the scan costs about n comparisons.
 *   <li>Larger k: quickselect on a copy of the row finds the k-th largest score t (expected O(n),
 *       falling back to sorting the remaining range after a logarithmic number of rounds), then one
 *       pass chooses every score above t and the first {@code k - #above} scores equal to t.
 * </ul>
 *
 * <p><b>The threshold filter.</b> On fresh scores the buffered scan is bound by mispredicted
 * branches: whether a score enters the buffer, and where, is a coin the processor cannot call. (On
 * one input timed again and again it learns them, and the scan looks three times faster than it is
 * in a step.) The filter makes no decision on a score by branching: (1) the row is cut into k
 * blocks and t is the smallest of their k maxima, so at least k scores are at or above t and every
 * member of the top k is; (2) the scores at or above t (about 18 of 400 random ones for k = 10) are
 * gathered by writing every score and advancing the count by the comparison's 0 or 1; (3) each
 * gathered score passes down a sorted list of the best k, leaving the larger of each pair in place
 * ({@code Math.max}/{@code Math.min} on longs, conditional moves). Scores are compared as
 * {@code long}s packing an order-preserving integer image of the score (with -0.0 taken as 0.0)
 * above the complement of the index, so the order is exactly the solver's: higher score, then
 * lower index. Step (3) costs about k steps per gathered score, which is why larger k keep the
 * buffered scan. Measured on fresh Gaussian rows, one thread (this project's 2-core machine, medians
 * of 3,000 calls): 128 rows of 400, k = 10: 135-180 against 186-205 us; 2,560 rows of 20, k = 10
 * (the DVAE's): 570 against 810 us; 2,000 rows of 30, k = 3: 211 against 391 us; but with k = 12 or
 * 16 the filter was slower (2,000 rows of 24, k = 12: 835 against 776 us; 1,000 rows of 33, k = 16:
 * 753 against 613 us), hence {@link #FILTER_LIMIT}.
 *
 * <p>Instances hold scratch arrays: use one per thread.
 */
final class HostTopK {
    /** Up to this k, for rows of at least 2k scores, the threshold filter is used. */
    static final int FILTER_LIMIT = 10;

    /** Up to this k the sorted-buffer scan is used where the filter is not. */
    static final int BUFFER_LIMIT = 16;

    /** Below this range length quickselect sorts instead of partitioning. */
    private static final int SORT_THRESHOLD = 16;

    private final int n;
    private final int k;
    private final float[] bufferValues;
    private final int[] bufferIndices;
    private final float[] work;
    private final boolean filtered;
    private final int[] keys;
    private final long[] candidates;
    private final long[] best;

    HostTopK(int n, int k) {
        this(n, k, filters(n, k));
    }

    /** Whether rows of n scores take the threshold filter by default: 2 &le; k &le; {@link #FILTER_LIMIT}, n &ge; 2k. */
    static boolean filters(int n, int k) {
        return k > 1 && k <= FILTER_LIMIT && n >= 2 * k;
    }

    /** @param filtered whether to use the threshold filter (needs 2 &le; k &le; n; tests force it) */
    HostTopK(int n, int k, boolean filtered) {
        if (filtered && (k < 2 || k > n)) {
            throw new IllegalArgumentException("the threshold filter needs 2 <= k <= n, got k = " + k + ", n = " + n);
        }
        this.n = n;
        this.k = k;
        this.filtered = filtered;
        this.keys = filtered ? new int[n] : new int[0];
        this.candidates = filtered ? new long[n] : new long[0];
        this.best = filtered ? new long[k] : new long[0];
        boolean buffered = !filtered && k > 1 && k <= BUFFER_LIMIT;
        this.bufferValues = buffered ? new float[k] : new float[0];
        this.bufferIndices = buffered ? new int[k] : new int[0];
        this.work = k > BUFFER_LIMIT ? new float[n] : new float[0];
    }

    /** Writes the top-k indicator of rows {@code [from, to)} of {@code scores} into {@code out}. */
    void solveRows(float[] scores, float[] out, int from, int to) {
        for (int row = from; row < to; row++) {
            int offset = row * n;
            if (k == 1) {
                out[offset + argmax(scores, offset, n)] = 1f;
            } else if (filtered) {
                solveFiltered(scores, out, offset);
            } else if (k <= BUFFER_LIMIT) {
                solveBuffered(scores, out, offset);
            } else {
                solveBySelection(scores, out, offset);
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

    /** The threshold filter (see the class documentation); scores are finite. */
    private void solveFiltered(float[] scores, float[] out, int offset) {
        int threshold = Integer.MAX_VALUE;
        for (int b = 0; b < k; b++) {
            int to = (int) ((long) n * (b + 1) / k);
            int max = Integer.MIN_VALUE;
            for (int i = (int) ((long) n * b / k); i < to; i++) {
                int key = orderKey(scores[offset + i]);
                keys[i] = key;
                max = Math.max(max, key);
            }
            threshold = Math.min(threshold, max);
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            int key = keys[i];
            candidates[count] = ((long) key << 32) | (0xFFFFFFFFL - i);
            count += (int) ((((long) key - threshold) >>> 63) ^ 1); // 1 when key >= threshold
        }
        // A finite score's packed key exceeds Long.MIN_VALUE, and count >= k: every slot is filled.
        Arrays.fill(best, Long.MIN_VALUE);
        for (int c = 0; c < count; c++) {
            long x = candidates[c];
            for (int j = 0; j < k; j++) {
                long y = best[j];
                best[j] = Math.max(x, y);
                x = Math.min(x, y);
            }
        }
        for (int j = 0; j < k; j++) {
            out[offset + (int) (0xFFFFFFFFL - (best[j] & 0xFFFFFFFFL))] = 1f;
        }
    }

    /**
     * Whether {@code values[from, to)} are all finite, without a branch per value: {@code v * 0} is
     * a zero for finite v and NaN for NaN and the infinities, and a sum of zeros stays a zero. Four
     * partial sums let the processor overlap the additions.
     */
    static boolean allFinite(float[] values, int from, int to) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += values[i] * 0f;
            s1 += values[i + 1] * 0f;
            s2 += values[i + 2] * 0f;
            s3 += values[i + 3] * 0f;
        }
        for (; i < to; i++) {
            s0 += values[i] * 0f;
        }
        return !Float.isNaN((s0 + s1) + (s2 + s3));
    }

    /**
     * An int whose signed order is the float order of finite scores, with -0.0 equal to 0.0: the
     * bits of {@code v + 0.0f} (which turns -0.0 into 0.0), with the magnitude bits of negative
     * values flipped.
     */
    static int orderKey(float v) {
        int bits = Float.floatToRawIntBits(v + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private void solveBuffered(float[] scores, float[] out, int offset) {
        float[] values = bufferValues;
        int[] indices = bufferIndices;
        // The first k scores, sorted descending; a stable insertion keeps equal scores in index order.
        for (int i = 0; i < k; i++) {
            insert(values, indices, i, scores[offset + i], i);
        }
        float smallest = values[k - 1];
        for (int i = k; i < n; i++) {
            float v = scores[offset + i];
            if (v > smallest) {
                insert(values, indices, k - 1, v, i);
                smallest = values[k - 1];
            }
        }
        for (int r = 0; r < k; r++) {
            out[offset + indices[r]] = 1f;
        }
    }

    /**
     * Writes (v, index) into the descending run {@code values[0..last]}, whose slot {@code last} is
     * free or holds the element to drop: smaller elements move one place right and v lands after
     * every element greater than or equal to it.
     */
    private static void insert(float[] values, int[] indices, int last, float v, int index) {
        int j = last;
        while (j > 0 && values[j - 1] < v) {
            values[j] = values[j - 1];
            indices[j] = indices[j - 1];
            j--;
        }
        values[j] = v;
        indices[j] = index;
    }

    private void solveBySelection(float[] scores, float[] out, int offset) {
        System.arraycopy(scores, offset, work, 0, n);
        float threshold = select(work, n - k);
        int above = 0;
        for (int i = 0; i < n; i++) {
            if (scores[offset + i] > threshold) {
                out[offset + i] = 1f;
                above++;
            }
        }
        int room = k - above;
        for (int i = 0; i < n && room > 0; i++) {
            if (scores[offset + i] == threshold) {
                out[offset + i] = 1f;
                room--;
            }
        }
    }

    /**
     * The value that would be at {@code target} if {@code a} were sorted ascending (by float
     * comparison; values are finite); reorders {@code a}. Hoare partitioning around a median of
     * three; after a logarithmic number of rounds without convergence the remaining range is sorted,
     * bounding the worst case by O(n log n).
     */
    static float select(float[] a, int target) {
        int lo = 0;
        int hi = a.length - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(a.length)) + 4;
        while (hi > lo) {
            if (hi - lo < SORT_THRESHOLD || budget-- == 0) {
                Arrays.sort(a, lo, hi + 1);
                return a[target];
            }
            float pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
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
                    float t = a[i];
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

    private static float medianOfThree(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
