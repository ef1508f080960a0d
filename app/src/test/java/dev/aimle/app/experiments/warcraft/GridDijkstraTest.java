package dev.aimle.app.experiments.warcraft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GridDijkstraTest {

    /** The cheapest simple path from cell 0 to cell n-1 by depth-first enumeration of every simple path. */
    static double bruteForceCost(float[] costs, int grid, boolean eight) {
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

    static double cost(float[] costs, float[] path) {
        double sum = 0;
        for (int i = 0; i < costs.length; i++) {
            sum += costs[i] * path[i];
        }
        return sum;
    }

    @Test
    void matchesEveryPathEnumeratedOnSmallGrids() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 60; trial++) {
            int grid = 2 + trial % 3; // 2, 3, 4
            boolean eight = trial % 2 == 0;
            float[] costs = new float[grid * grid];
            for (int i = 0; i < costs.length; i++) {
                costs[i] = (float) (0.1 + 9 * random.nextDouble());
            }
            float[] path = GridDijkstra.solve(costs, grid, eight);
            double expected = bruteForceCost(costs, grid, eight);
            assertEquals(expected, cost(costs, path), 1e-4, "trial " + trial + " (seed 7), grid " + grid);
            float[] asPath = path.clone();
            assertTrue(PathMetrics.isValidPath(asPath, 0, grid), "trial " + trial);
        }
    }

    @Test
    void breaksTiesByTheDocumentedRule() {
        // all costs equal on a 3x3 grid with 8 neighbours: the diagonal is the unique cheapest (3 cells)
        float[] flat = new float[9];
        java.util.Arrays.fill(flat, 1f);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, GridDijkstra.solve(flat, 3, true));
        // with 4 neighbours every monotone path costs 5: the first found goes right along the top row
        // (cell 1 is settled before cell 3 and so relaxes cell 2 first) then down the right column
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 1, 0, 0, 1}, GridDijkstra.solve(flat, 3, false));
    }

    @Test
    void refusesNegativeCostsByCell() {
        float[] costs = {1, 1, -0.5f, 1};
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GridDijkstra.solve(costs, 2, true));
        assertTrue(e.getMessage().contains("-0.5") && e.getMessage().contains("cell 2"), e.getMessage());
    }
}
