package dev.aimle.solvers.shortestpath;

import java.util.Arrays;

/**
 * Dijkstra's algorithm on a grid of vertex costs, on primitive arrays: the cheapest path from the
 * top-left cell (index 0) to the bottom-right cell (index {@code h*w - 1}), cells numbered
 * row-major. The cost of a path is the sum of the costs of all its cells, both ends included.
 *
 * <p><b>The tie rule.</b> Cells are settled in increasing order of {@code (cost of the cheapest path
 * found so far, cell index)}, from a binary heap with that order; a neighbour's path is replaced only
 * by a strictly cheaper one, so each cell's predecessor is the first settled neighbour through which
 * it reached its final cost. Path costs are float32 sums, accumulated in that order. This is the rule
 * of the reference implementation's {@code dijkstra} (a heap of {@code (cost, (row, column))}
 * tuples, strict improvements, numpy float32 sums), so the two return the same path on the same
 * float32 costs (checked by {@code scripts/shortest_path_reference.py}).
 *
 * <p>Not thread-safe: one instance per thread (its arrays are reused from call to call).
 */
final class GridDijkstra {
    private float[] dist = new float[0];
    private int[] pred = new int[0];
    private int[] heap = new int[0];
    private int[] position = new int[0];
    private boolean[] settled = new boolean[0];
    private float[] cost = new float[0];
    private int heapSize;

    /**
     * Writes 1 into {@code solution} on the cells of the cheapest path.
     *
     * @param scores the costs, row-major {@code [h, w]}, finite
     * @param negative what a negative cost means
     * @param solution zero-filled, {@code h*w} entries
     * @throws IllegalArgumentException on a negative cost under {@link NegativeCosts#REFUSE}, or when
     *     the path cost overflows float32
     */
    void solve(float[] scores, int h, int w, Neighbourhood neighbourhood, NegativeCosts negative, float[] solution) {
        int n = h * w;
        prepare(n);
        for (int i = 0; i < n; i++) {
            float c = scores[i];
            if (c < 0) {
                if (negative == NegativeCosts.REFUSE) {
                    throw negativeCost(c, i, w);
                }
                c = 0f;
            }
            // + 0f turns -0.0 into 0.0, so that equal costs compare equal in every position
            cost[i] = c + 0f;
        }
        int goal = n - 1;
        dist[0] = cost[0];
        push(0);
        int neighbours = neighbourhood.size();
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
                int r = ur + neighbourhood.rowOffset(k);
                int c = uc + neighbourhood.columnOffset(k);
                if (r < 0 || r >= h || c < 0 || c >= w) {
                    continue;
                }
                int v = r * w + c;
                if (settled[v]) {
                    continue;
                }
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
                    + " grid (costs up to " + max(scores, n) + "); scale the costs down");
        }
        for (int v = goal; v != 0; v = pred[v]) {
            solution[v] = 1f;
        }
        solution[0] = 1f;
    }

    private static float max(float[] values, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, values[i]);
        }
        return m;
    }

    static IllegalArgumentException negativeCost(float value, int cell, int width) {
        return new IllegalArgumentException("cost " + value + " of cell [" + cell / width + ", " + cell % width
                + "] is negative; solver '" + ShortestPathSolver.NAME + "' with negative=refuse needs costs at least 0"
                + " (negative=clip counts them as 0, as the reference implementation does)");
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
