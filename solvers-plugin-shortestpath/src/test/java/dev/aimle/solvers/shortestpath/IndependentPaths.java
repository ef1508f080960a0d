package dev.aimle.solvers.shortestpath;

/**
 * Independent answers for the tests: a textbook Dijkstra (an array scan for the cheapest open cell,
 * O(n^2), costs in double) and brute force over every simple corner-to-corner path. Neither shares
 * code with the solver.
 */
final class IndependentPaths {
    private IndependentPaths() {}

    static boolean adjacent(int a, int b, int w, boolean eight) {
        int dr = Math.abs(a / w - b / w);
        int dc = Math.abs(a % w - b % w);
        return eight ? Math.max(dr, dc) == 1 : dr + dc == 1;
    }

    /** The cheapest path's cost (the sum of its cells, both ends included), negative costs as 0. */
    static double dijkstraCost(float[] costs, int h, int w, boolean eight) {
        int n = h * w;
        double[] dist = new double[n];
        boolean[] done = new boolean[n];
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        dist[0] = Math.max(0, costs[0]);
        for (int round = 0; round < n; round++) {
            int u = -1;
            for (int v = 0; v < n; v++) {
                if (!done[v] && (u < 0 || dist[v] < dist[u])) {
                    u = v;
                }
            }
            done[u] = true;
            for (int v = 0; v < n; v++) {
                if (!done[v] && adjacent(u, v, w, eight)) {
                    dist[v] = Math.min(dist[v], dist[u] + Math.max(0, costs[v]));
                }
            }
        }
        return dist[n - 1];
    }

    /** The lowest cost over every simple path from cell 0 to the last cell, by depth-first search. */
    static double bruteForceCost(float[] costs, int h, int w, boolean eight) {
        boolean[] visited = new boolean[h * w];
        visited[0] = true;
        return search(0, costs[0], costs, h, w, eight, visited);
    }

    private static double search(int at, double sofar, float[] costs, int h, int w, boolean eight, boolean[] visited) {
        if (at == h * w - 1) {
            return sofar;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int v = 0; v < h * w; v++) {
            if (!visited[v] && adjacent(at, v, w, eight)) {
                visited[v] = true;
                best = Math.min(best, search(v, sofar + costs[v], costs, h, w, eight, visited));
                visited[v] = false;
            }
        }
        return best;
    }

    /** {@code <costs, z>} in double. */
    static double cost(float[] costs, float[] z) {
        double s = 0;
        for (int i = 0; i < costs.length; i++) {
            s += (double) costs[i] * z[i];
        }
        return s;
    }
}
