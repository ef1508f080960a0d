package dev.aimle.solvers.topk;

import java.util.Arrays;

/**
 * Top-k of rows of a flat {@code float[]} on the host, with the solver's tie rule: among equal
 * scores the lower index wins ({@code -0.0} equals {@code 0.0}, as in a float comparison).
 *
 * <ul>
 *   <li>k = 1: one scan with a strict comparison.
 *   <li>k &le; {@link #BUFFER_LIMIT}: one scan keeping the best k (score, index) pairs in a small
 *       sorted buffer; a later score enters only when strictly greater than the buffer's smallest,
 *       so an earlier equal score is never displaced. On random scores only about
 *       {@code k ln(n / k)} of the n scores enter, so the scan costs about n comparisons.
 *   <li>Larger k: quickselect on a copy of the row finds the k-th largest score t (expected O(n),
 *       falling back to sorting the remaining range after a logarithmic number of rounds), then one
 *       pass chooses every score above t and the first {@code k - #above} scores equal to t.
 * </ul>
 *
 * <p>Instances hold scratch arrays: use one per thread.
 */
final class HostTopK {
    /** Up to this k the sorted-buffer scan is used. */
    static final int BUFFER_LIMIT = 16;

    /** Below this range length quickselect sorts instead of partitioning. */
    private static final int SORT_THRESHOLD = 16;

    private final int n;
    private final int k;
    private final float[] bufferValues;
    private final int[] bufferIndices;
    private final float[] work;

    HostTopK(int n, int k) {
        this.n = n;
        this.k = k;
        boolean buffered = k > 1 && k <= BUFFER_LIMIT;
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
