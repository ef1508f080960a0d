package dev.aimle.api.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GridDijkstraTest {

    private static float[] solve(float[] costs, int h, int w, boolean eight) {
        float[] out = new float[h * w];
        new GridDijkstra(eight).solve(costs, 0, h, w, out, 0);
        return out;
    }

    @Test
    void matchesEveryPathEnumeratedOnSmallGrids() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 80; trial++) {
            int grid = 2 + trial % 3; // 2, 3, 4
            boolean eight = trial % 2 == 0;
            float[] costs = new float[grid * grid];
            for (int i = 0; i < costs.length; i++) {
                costs[i] = (float) (0.1 + 9 * random.nextDouble());
            }
            double expected = BruteForcePaths.cheapestCost(costs, grid, eight);
            float[] path = solve(costs, grid, grid, eight);
            assertEquals(
                    expected, BruteForcePaths.cost(costs, path), 1e-4, "trial " + trial + " (seed 7), grid " + grid);
        }
    }

    @Test
    void breaksTiesByCostThenCellIndex() {
        float[] flat = new float[9];
        Arrays.fill(flat, 1f);
        // 8 neighbours: the diagonal is the unique cheapest path (3 cells)
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, solve(flat, 3, 3, true));
        // 4 neighbours: every monotone path costs 5; cell 1 is settled before cell 3 and so reaches
        // cell 2 first: along the top row, then down the right column
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 1, 0, 0, 1}, solve(flat, 3, 3, false));
    }

    @Test
    void sumsInFloat32AsTheReferenceSoEqualCostPathsTieItsWay() {
        // 1.2+7.7+1.2+0.8 (down, then right) and 1.2+1.2+7.7+0.8 (right, then down) are both 10.9
        // in exact arithmetic; float32 rounding (the reference's numpy sums) makes the first compare
        // cheaper
        float[] costs = {1.2f, 1.2f, 1.2f, 7.7f, 9.2f, 7.7f, 9.2f, 1.2f, 0.8f};
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0, 0, 1, 1}, solve(costs, 3, 3, true));
        assertTrue((1.2f + 7.7f) + 1.2f + 0.8f < (1.2f + 1.2f) + 7.7f + 0.8f);
    }

    @Test
    void countsNegativeCostsAsZero() {
        // the bottom-left cell's -5 counts as 0: down the left column and along the bottom row costs
        // 1 + 3 + 0 + 0.5 + 1, the cheapest of the 4-neighbourhood's paths
        float[] costs = {1, 3, 3, 3, 9, 3, -5, 0.5f, 1};
        float[] clipped = costs.clone();
        clipped[6] = 0;
        assertArrayEquals(solve(clipped, 3, 3, false), solve(costs, 3, 3, false));
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0, 1, 1, 1}, solve(costs, 3, 3, false));
    }

    @Test
    void writesAGridAtAnOffsetAndLeavesTheRestAlone() {
        float[] costs = {9, 9, 1, 1, 1, 1};
        float[] out = {7, 7, 7, 7, 7, 7};
        new GridDijkstra(true).solve(costs, 2, 2, 2, out, 1);
        assertArrayEquals(new float[] {7, 1, 0, 0, 1, 7}, out);
    }

    @Test
    void refusesNonFiniteCostsAndGridsThatDoNotFitByName() {
        GridDijkstra dijkstra = new GridDijkstra(true);
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class,
                () -> dijkstra.solve(new float[] {1, 1, Float.NaN, 1}, 0, 2, 2, new float[4], 0));
        assertTrue(nan.getMessage().contains("NaN of cell [1, 0]"), nan.getMessage());
        IllegalArgumentException small = assertThrows(
                IllegalArgumentException.class, () -> dijkstra.solve(new float[3], 0, 2, 2, new float[4], 0));
        assertTrue(small.getMessage().contains("2 x 2 grid"), small.getMessage());
        IllegalArgumentException overflow = assertThrows(
                IllegalArgumentException.class,
                () -> new GridDijkstra(true)
                        .solve(
                                new float[] {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE},
                                0,
                                2,
                                2,
                                new float[4],
                                0));
        assertTrue(overflow.getMessage().contains("overflows float32"), overflow.getMessage());
    }
}
