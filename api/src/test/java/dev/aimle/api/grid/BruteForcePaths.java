package dev.aimle.api.grid;

/**
 * The cheapest top-left to bottom-right path of a small grid by depth-first enumeration of every
 * simple path: the independent check of {@link GridDijkstra} and of the paths written with it (the
 * Warcraft generator's tests use it through this module's test-jar). Not a test itself: GridDijkstraTest
 * and WarcraftGeneratorTest assert their paths' costs against it.
 */
public final class BruteForcePaths {
    private BruteForcePaths() {}

    /** The cost of the cheapest simple path from cell 0 to cell {@code k*k - 1}, in double. */
    public static double cheapestCost(float[] costs, int grid, boolean eight) {
        boolean[] used = new boolean[grid * grid];
        used[0] = true;
        return search(costs, grid, eight, 0, costs[0], used);
    }

    private static double search(float[] costs, int grid, boolean eight, int at, double cost, boolean[] used) {
        if (at == grid * grid - 1) {
            return cost;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int dr = -1; dr <= 1; dr++) {
            for (int dc = -1; dc <= 1; dc++) {
                if ((dr == 0 && dc == 0) || (!eight && dr != 0 && dc != 0)) {
                    continue;
                }
                int r = at / grid + dr;
                int c = at % grid + dc;
                if (r >= 0 && r < grid && c >= 0 && c < grid && !used[r * grid + c]) {
                    int next = r * grid + c;
                    used[next] = true;
                    best = Math.min(best, search(costs, grid, eight, next, cost + costs[next], used));
                    used[next] = false;
                }
            }
        }
        return best;
    }

    /** {@code <costs, path>} in double. */
    public static double cost(float[] costs, float[] path) {
        double sum = 0;
        for (int i = 0; i < costs.length; i++) {
            sum += costs[i] * path[i];
        }
        return sum;
    }
}
