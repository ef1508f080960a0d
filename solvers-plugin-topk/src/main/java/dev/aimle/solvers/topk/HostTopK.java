package dev.aimle.solvers.topk;

import java.util.Arrays;

/**
 * Top-k of rows of a flat {@code float[]} on the host, with the solver's tie rule: among equal
 * scores the lower index wins ({@code -0.0} equals {@code 0.0}, as in a float comparison).
 *
 * The {@link Method} is chosen per (n, k) by {@link #methodFor}:
 *
 * <ul>
 *   <li>k = 1: one scan with a strict comparison.
 *   <li>Short rows (n &le; {@link #NETWORK_LIMIT}) with k &ge; n / 4: a sorting network (below).
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
 * <p><b>The sorting network.</b> For short rows the same packed longs are sorted by a fixed
 * sequence of compare-exchanges (Batcher's merge exchange, Knuth's Algorithm 5.2.2M: 97 of them for
 * n = 20), each a {@code Math.min} and a {@code Math.max}, so nothing depends on the scores but the
 * values moved; the last k entries are the top k. Its cost does not grow with k, the filter's does:
 * on fresh rows, one thread, 2,560 rows of 20 with k = 10 (the DVAE's) took 345-367 us against the
 * filter's 595 and the scan's 817; with k = 2 the filter won (188 against 327-355), and at n = 40,
 * k = 10 too (383 against 434-467), hence {@link #NETWORK_LIMIT} and k &ge; n / 4.
 *
 * <p>Instances hold scratch arrays: use one per thread.
 */
final class HostTopK {
    /** How a row is solved; see the class documentation. */
    enum Method {
        /** k = 1: one scan. */
        ARGMAX,
        /** A sorting network on packed (score, index) keys. */
        NETWORK,
        /** The threshold filter. */
        FILTER,
        /** The sorted-buffer scan. */
        BUFFER,
        /** Quickselect. */
        SELECTION
    }

    /** Up to this row length the sorting network is used (when k &ge; n / 4). */
    static final int NETWORK_LIMIT = 24;

    /** Up to this k, for rows of at least 2k scores, the threshold filter is used. */
    static final int FILTER_LIMIT = 10;

    /** Up to this k the sorted-buffer scan is used where neither of the above is. */
    static final int BUFFER_LIMIT = 16;

    /** Below this range length quickselect sorts instead of partitioning. */
    private static final int SORT_THRESHOLD = 16;

    /** The compare-exchange pairs of the network for each row length up to {@link #NETWORK_LIMIT}. */
    private static final int[][] NETWORKS = new int[NETWORK_LIMIT + 1][];

    static {
        for (int n = 0; n <= NETWORK_LIMIT; n++) {
            NETWORKS[n] = mergeExchangeNetwork(n);
        }
    }

    private final int n;
    private final int k;
    private final Method method;
    private final float[] bufferValues;
    private final int[] bufferIndices;
    private final float[] work;
    private final int[] keys;
    private final long[] packed;
    private final long[] best;

    HostTopK(int n, int k) {
        this(n, k, methodFor(n, k));
    }

    /** The method rows of n scores take by default (1 &le; k &le; n). */
    static Method methodFor(int n, int k) {
        if (k == 1) {
            return Method.ARGMAX;
        }
        if (n <= NETWORK_LIMIT && 4 * k >= n) {
            return Method.NETWORK;
        }
        if (k <= FILTER_LIMIT && n >= 2 * k) {
            return Method.FILTER;
        }
        return k <= BUFFER_LIMIT ? Method.BUFFER : Method.SELECTION;
    }

    /**
     * @param method how to solve rows (tests force each where it applies)
     * @throws IllegalArgumentException when the method cannot serve (n, k)
     */
    HostTopK(int n, int k, Method method) {
        boolean serves = switch (method) {
            case ARGMAX -> k == 1;
            case NETWORK -> k <= n && n <= NETWORK_LIMIT;
            case FILTER -> k >= 2 && k <= n;
            case BUFFER -> k >= 2 && k <= Math.min(n, BUFFER_LIMIT);
            case SELECTION -> k <= n;
        };
        if (!serves || k < 1) {
            throw new IllegalArgumentException(method + " cannot solve top-" + k + " of rows of " + n);
        }
        this.n = n;
        this.k = k;
        this.method = method;
        boolean packs = method == Method.FILTER || method == Method.NETWORK;
        this.keys = method == Method.FILTER ? new int[n] : new int[0];
        this.packed = packs ? new long[n] : new long[0];
        this.best = method == Method.FILTER ? new long[k] : new long[0];
        this.bufferValues = method == Method.BUFFER ? new float[k] : new float[0];
        this.bufferIndices = method == Method.BUFFER ? new int[k] : new int[0];
        this.work = method == Method.SELECTION ? new float[n] : new float[0];
    }

    /** Writes the top-k indicator of rows {@code [from, to)} of {@code scores} into {@code out}. */
    void solveRows(float[] scores, float[] out, int from, int to) {
        for (int row = from; row < to; row++) {
            int offset = row * n;
            switch (method) {
                case ARGMAX -> out[offset + argmax(scores, offset, n)] = 1f;
                case NETWORK -> solveByNetwork(scores, out, offset);
                case FILTER -> solveFiltered(scores, out, offset);
                case BUFFER -> solveBuffered(scores, out, offset);
                case SELECTION -> solveBySelection(scores, out, offset);
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
            packed[count] = pack(key, i);
            count += (int) ((((long) key - threshold) >>> 63) ^ 1); // 1 when key >= threshold
        }
        // A finite score's packed key exceeds Long.MIN_VALUE, and count >= k: every slot is filled.
        Arrays.fill(best, Long.MIN_VALUE);
        for (int c = 0; c < count; c++) {
            long x = packed[c];
            for (int j = 0; j < k; j++) {
                long y = best[j];
                best[j] = Math.max(x, y);
                x = Math.min(x, y);
            }
        }
        for (int j = 0; j < k; j++) {
            out[offset + indexOf(best[j])] = 1f;
        }
    }

    /** The sorting network (see the class documentation); scores are finite. */
    private void solveByNetwork(float[] scores, float[] out, int offset) {
        long[] w = packed;
        for (int i = 0; i < n; i++) {
            w[i] = pack(orderKey(scores[offset + i]), i);
        }
        int[] pairs = NETWORKS[n];
        for (int p = 0; p < pairs.length; p += 2) {
            int i = pairs[p];
            int j = pairs[p + 1];
            long a = w[i];
            long b = w[j];
            w[i] = Math.min(a, b);
            w[j] = Math.max(a, b);
        }
        for (int j = n - k; j < n; j++) {
            out[offset + indexOf(w[j])] = 1f;
        }
    }

    /**
     * The compare-exchange pairs {@code (i, j)}, {@code i < j}, of Batcher's merge exchange for n
     * inputs (Knuth, TAOCP vol. 3, Algorithm 5.2.2M): applied in order, each putting the smaller
     * value at i, they sort any n values ascending.
     */
    static int[] mergeExchangeNetwork(int n) {
        if (n < 2) {
            return new int[0];
        }
        int[] pairs = new int[2 * n * n]; // more than enough: the network has O(n log^2 n) pairs
        int count = 0;
        int t = 32 - Integer.numberOfLeadingZeros(n - 1); // ceil(lg n)
        for (int p = 1 << (t - 1); p > 0; p >>= 1) {
            int q = 1 << (t - 1);
            int r = 0;
            int d = p;
            while (true) {
                for (int i = 0; i < n - d; i++) {
                    if ((i & p) == r) {
                        pairs[count++] = i;
                        pairs[count++] = i + d;
                    }
                }
                if (q == p) {
                    break;
                }
                d = q - p;
                q >>= 1;
                r = p;
            }
        }
        return Arrays.copyOf(pairs, count);
    }

    /** A long whose order is (key ascending, then index descending): larger is a better entry. */
    private static long pack(int key, int index) {
        return ((long) key << 32) | (0xFFFFFFFFL - index);
    }

    private static int indexOf(long packed) {
        return (int) (0xFFFFFFFFL - (packed & 0xFFFFFFFFL));
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
