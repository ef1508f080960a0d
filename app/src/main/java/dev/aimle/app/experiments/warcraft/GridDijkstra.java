package dev.aimle.app.experiments.warcraft;

import java.util.Arrays;

/**
 * The cheapest path from the top-left to the bottom-right cell of a grid with costs on the vertices
 * (a path's cost is the sum of its cells', both ends included), by Dijkstra's algorithm: the
 * generator's source of true paths, and the tests' independent solver. It is package-private on
 * purpose: the experiment's solver is the shortest-path plugin (another module); this copy keeps the
 * generator and the tests free of plugin loading.
 *
 * <p>O(n^2) with arrays (n = k*k): no heap, so the order is plain to see and at most 900 vertices
 * for the original's largest grid. <b>Ties:</b> the unsettled vertex with the smallest distance and,
 * among equals, the smallest row-major index is settled next; a vertex's predecessor changes only on
 * a strict improvement, and neighbours are relaxed in row-major order of their index; so of several
 * cheapest paths the one found first in that order is returned, the same on every run.
 */
final class GridDijkstra {
    private GridDijkstra() {}

    /**
     * The cells of the cheapest path of one grid.
     *
     * @param costs {@code k*k} vertex costs, row-major, finite and at least 0
     * @param grid k
     * @param eight true for the 8-neighbourhood (the Warcraft setting), false for 4
     * @return {@code k*k} values in {0, 1}
     * @throws IllegalArgumentException on a wrong length or a cost that is negative or not finite
     */
    static float[] solve(float[] costs, int grid, boolean eight) {
        float[] out = new float[grid * grid];
        solve(costs, 0, grid, eight, out, 0);
        return out;
    }

    /** {@link #solve(float[], int, boolean)} for the grid at {@code from}, into {@code out} at {@code to}. */
    static void solve(float[] costs, int from, int grid, boolean eight, float[] out, int to) {
        int n = grid * grid;
        if (grid < 1 || from < 0 || from + n > costs.length) {
            throw new IllegalArgumentException(
                    "a " + grid + "x" + grid + " grid at " + from + " does not fit " + costs.length + " costs");
        }
        for (int i = 0; i < n; i++) {
            float c = costs[from + i];
            if (!(c >= 0) || Float.isInfinite(c)) {
                throw new IllegalArgumentException(
                        "cost " + c + " at cell " + i + " must be finite and at least 0 (Dijkstra's assumption)");
            }
        }
        double[] distance = new double[n];
        Arrays.fill(distance, Double.POSITIVE_INFINITY);
        int[] previous = new int[n];
        Arrays.fill(previous, -1);
        boolean[] settled = new boolean[n];
        distance[0] = costs[from];
        for (int round = 0; round < n; round++) {
            int u = -1;
            for (int v = 0; v < n; v++) {
                if (!settled[v] && (u < 0 || distance[v] < distance[u])) {
                    u = v;
                }
            }
            settled[u] = true;
            if (u == n - 1) {
                break;
            }
            int row = u / grid;
            int col = u % grid;
            for (int dr = -1; dr <= 1; dr++) {
                for (int dc = -1; dc <= 1; dc++) {
                    if ((dr == 0 && dc == 0) || (!eight && dr != 0 && dc != 0)) {
                        continue;
                    }
                    int r = row + dr;
                    int c = col + dc;
                    if (r < 0 || r >= grid || c < 0 || c >= grid) {
                        continue;
                    }
                    int v = r * grid + c;
                    double through = distance[u] + costs[from + v];
                    if (!settled[v] && through < distance[v]) {
                        distance[v] = through;
                        previous[v] = u;
                    }
                }
            }
        }
        Arrays.fill(out, to, to + n, 0f);
        for (int v = n - 1; v >= 0; v = previous[v]) {
            out[to + v] = 1f;
        }
    }
}
