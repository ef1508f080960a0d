package dev.aimle.api.grid;

import java.util.Arrays;

/**
 * Dijkstra's algorithm on a grid of vertex costs, on primitive arrays: the cheapest path from the
 * top-left cell (index 0) to the bottom-right cell (index {@code h*w - 1}), cells numbered
 * row-major, each step to one of the 8 (or 4) neighbouring cells. The cost of a path is the sum of
 * the costs of all its cells, both ends included. A negative cost counts as 0 (Dijkstra needs costs
 * at least 0; the reference implementation raises them the same way, {@code np.maximum(w, 0)}); a
 * cost that is NaN or infinite is refused.
 *
 * <p><b>The tie rule.</b> Cells are settled in increasing order of {@code (cost of the cheapest path
 * found so far, cell index)}, from a binary heap with that order; a neighbour's path is replaced only
 * by a strictly cheaper one, so each cell's predecessor is the first settled neighbour through which
 * it reached its final cost. This is the rule of the reference implementation's {@code dijkstra}
 * ({@code aaai23/maprop/blackbox/dijkstra.py} of EdinburghNLP/torch-adaptive-imle: a heap of {@code
 * (cost, (row, column))} tuples and strict improvements).
 *
 * <p><b>The sums.</b> Path costs are accumulated in float32, as the reference's {@code dijkstra} does
 * (numpy float32 costs), because the sums decide which of several paths of equal cost in exact
 * arithmetic comes out (rounding makes some of them compare unequal): on the same float32 costs
 * this class returns the reference's path, tie for tie. The shortest-path solver and the Warcraft
 * generator's true paths both use it, so a generated true path is literally the solver's path on
 * the true costs.
 *
 * <p>Not thread-safe: one instance per thread (its arrays are reused from call to call).
 */
public final class GridDijkstra {
    // (row, column) offsets, pairwise, in row-major order of the neighbour
    private static final int[] EIGHT = {-1, -1, -1, 0, -1, 1, 0, -1, 0, 1, 1, -1, 1, 0, 1, 1};
    private static final int[] FOUR = {-1, 0, 0, -1, 0, 1, 1, 0};

    private final int[] offsets;
    private float[] dist = new float[0];
    private int[] pred = new int[0];
    private int[] heap = new int[0];
    private int[] position = new int[0];
    private boolean[] settled = new boolean[0];
    private float[] cost = new float[0];
    private int heapSize;

    /**
     * @param eightNeighbours true for the 8-neighbourhood (Warcraft's), false for the 4 cells that
     *     share a side
     */
    public GridDijkstra(boolean eightNeighbours) {
        this.offsets = eightNeighbours ? EIGHT : FOUR;
    }

    /**
     * Writes the cheapest path of the grid of {@code h*w} costs at {@code costs[from]}: 1 on its
     * cells and 0 elsewhere, into {@code out[to]} to {@code out[to + h*w - 1]}.
     *
     * @param costs row-major costs, finite
     * @throws IllegalArgumentException when the grid does not fit the arrays, a cost is NaN or
     *     infinite, or a float32 path cost overflows
     */
    public void solve(float[] costs, int from, int h, int w, float[] out, int to) {
        if (h < 1
                || w < 1
                || from < 0
                || to < 0
                || (long) h * w > costs.length - (long) from
                || (long) h * w > out.length - (long) to) {
            throw new IllegalArgumentException("a " + h + " x " + w + " grid at " + from + " (into " + to
                    + ") does not fit " + costs.length + " costs and " + out.length + " outputs");
        }
        int n = h * w;
        prepare(n);
        for (int i = 0; i < n; i++) {
            float c = costs[from + i];
            if (!Float.isFinite(c)) {
                throw new IllegalArgumentException(
                        "cost " + c + " of cell [" + i / w + ", " + i % w + "] must be finite");
            }
            // + 0f turns -0.0 into 0.0, so that equal costs compare equal in every position
            cost[i] = (c < 0 ? 0f : c) + 0f;
        }
        int goal = n - 1;
        dist[0] = cost[0];
        push(0);
        int neighbours = offsets.length / 2;
        while (heapSize > 0) {
            int u = pop();
            settled[u] = true;
            if (u == goal) {
                // predecessors of settled cells never change: the path to the goal is final
                break;
            }
            int ur = u / w;
            int uc = u - ur * w;
            float du = dist[u];
            for (int k = 0; k < neighbours; k++) {
                int r = ur + offsets[2 * k];
                int c = uc + offsets[2 * k + 1];
                if (r < 0 || r >= h || c < 0 || c >= w) {
                    continue;
                }
                int v = r * w + c;
                if (settled[v]) {
                    continue;
                }
                // Java's float addition is IEEE binary32, the reference's numpy float32 sum; an
                // overflow to infinity is never strictly cheaper than the unreached infinity
                float candidate = du + cost[v];
                if (candidate < dist[v]) {
                    dist[v] = candidate;
                    pred[v] = u;
                    if (position[v] < 0) {
                        push(v);
                    } else {
                        siftUp(position[v]);
                    }
                }
            }
        }
        if (!settled[goal]) {
            throw new IllegalArgumentException("the cheapest path's cost overflows float32 on a " + h + " x " + w
                    + " grid (costs up to " + max(n) + "); scale the costs down");
        }
        Arrays.fill(out, to, to + n, 0f);
        for (int v = goal; v != 0; v = pred[v]) {
            out[to + v] = 1f;
        }
        out[to] = 1f;
    }

    private float max(int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, cost[i]);
        }
        return m;
    }

    private void prepare(int n) {
        if (dist.length < n) {
            dist = new float[n];
            pred = new int[n];
            heap = new int[n];
            position = new int[n];
            settled = new boolean[n];
            cost = new float[n];
        }
        Arrays.fill(dist, 0, n, Float.POSITIVE_INFINITY);
        Arrays.fill(pred, 0, n, -1);
        Arrays.fill(position, 0, n, -1);
        Arrays.fill(settled, 0, n, false);
        heapSize = 0;
    }

    /** The heap order: cheaper first, then the lower cell index. */
    private boolean before(int a, int b) {
        float da = dist[a];
        float db = dist[b];
        return da < db || (da == db && a < b);
    }

    private void push(int v) {
        heap[heapSize] = v;
        position[v] = heapSize;
        heapSize++;
        siftUp(heapSize - 1);
    }

    private int pop() {
        int top = heap[0];
        position[top] = -1;
        heapSize--;
        if (heapSize > 0) {
            int last = heap[heapSize];
            heap[0] = last;
            position[last] = 0;
            siftDown(0);
        }
        return top;
    }

    private void siftUp(int i) {
        int v = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap[parent];
            if (!before(v, p)) {
                break;
            }
            heap[i] = p;
            position[p] = i;
            i = parent;
        }
        heap[i] = v;
        position[v] = i;
    }

    private void siftDown(int i) {
        int v = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
                child++;
            }
            int c = heap[child];
            if (!before(c, v)) {
                break;
            }
            heap[i] = c;
            position[c] = i;
            i = child;
        }
        heap[i] = v;
        position[v] = i;
    }
}
