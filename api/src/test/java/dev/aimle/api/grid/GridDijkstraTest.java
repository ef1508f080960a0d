package dev.aimle.api.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GridDijkstraTest {

    private static float[] solve(float[] costs, int h, int w, boolean eight, GridDijkstra.Sums sums) {
        float[] out = new float[h * w];
        new GridDijkstra(eight, sums).solve(costs, 0, h, w, out, 0);
        return out;
    }

    @Test
    void matchesEveryPathEnumeratedOnSmallGridsWithEitherSums() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 80; trial++) {
            int grid = 2 + trial % 3; // 2, 3, 4
            boolean eight = trial % 2 == 0;
            float[] costs = new float[grid * grid];
            for (int i = 0; i < costs.length; i++) {
                costs[i] = (float) (0.1 + 9 * random.nextDouble());
            }
            double expected = BruteForcePaths.cheapestCost(costs, grid, eight);
            for (GridDijkstra.Sums sums : GridDijkstra.Sums.values()) {
                float[] path = solve(costs, grid, grid, eight, sums);
                assertEquals(
                        expected,
                        BruteForcePaths.cost(costs, path),
                        1e-4,
                        "trial " + trial + " (seed 7), grid " + grid + ", " + sums);
            }
        }
    }

    @Test
    void breaksTiesByCostThenCellIndex() {
        float[] flat = new float[9];
        Arrays.fill(flat, 1f);
        // 8 neighbours: the diagonal is the unique cheapest path (3 cells)
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, solve(flat, 3, 3, true, GridDijkstra.Sums.FLOAT32));
        // 4 neighbours: every monotone path costs 5; cell 1 is settled before cell 3 and so reaches
        // cell 2 first: along the top row, then down the right column
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 1, 0, 0, 1}, solve(flat, 3, 3, false, GridDijkstra.Sums.FLOAT32));
    }

    @Test
    void float32AndFloat64SumsPickDifferentPathsOfEqualCost() {
        // 1.2+7.7+1.2+0.8 (down, then right) and 1.2+1.2+7.7+0.8 (right, then down) are both 10.9;
        // float32 rounding makes the first compare cheaper, double rounding the second
        float[] costs = {1.2f, 1.2f, 1.2f, 7.7f, 9.2f, 7.7f, 9.2f, 1.2f, 0.8f};
        float[] f32 = solve(costs, 3, 3, true, GridDijkstra.Sums.FLOAT32);
        float[] f64 = solve(costs, 3, 3, true, GridDijkstra.Sums.FLOAT64);
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0, 0, 1, 1}, f32);
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 1, 0, 0, 1}, f64);
        assertEquals(BruteForcePaths.cost(costs, f32), BruteForcePaths.cost(costs, f64), 1e-6);
    }

    @Test
    void countsNegativeCostsAsZero() {
        // the bottom-left cell's -5 counts as 0: down the left column and along the bottom row costs
        // 1 + 3 + 0 + 0.5 + 1, the cheapest of the 4-neighbourhood's paths
        float[] costs = {1, 3, 3, 3, 9, 3, -5, 0.5f, 1};
        float[] clipped = costs.clone();
        clipped[6] = 0;
        for (GridDijkstra.Sums sums : GridDijkstra.Sums.values()) {
            assertArrayEquals(solve(clipped, 3, 3, false, sums), solve(costs, 3, 3, false, sums), sums.name());
        }
        assertArrayEquals(
                new float[] {1, 0, 0, 1, 0, 0, 1, 1, 1}, solve(costs, 3, 3, false, GridDijkstra.Sums.FLOAT32));
    }

    @Test
    void writesAGridAtAnOffsetAndLeavesTheRestAlone() {
        float[] costs = {9, 9, 1, 1, 1, 1};
        float[] out = {7, 7, 7, 7, 7, 7};
        new GridDijkstra(true, GridDijkstra.Sums.FLOAT32).solve(costs, 2, 2, 2, out, 1);
        assertArrayEquals(new float[] {7, 1, 0, 0, 1, 7}, out);
    }

    @Test
    void refusesNonFiniteCostsAndGridsThatDoNotFitByName() {
        GridDijkstra dijkstra = new GridDijkstra(true, GridDijkstra.Sums.FLOAT64);
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class,
                () -> dijkstra.solve(new float[] {1, 1, Float.NaN, 1}, 0, 2, 2, new float[4], 0));
        assertTrue(nan.getMessage().contains("NaN of cell [1, 0]"), nan.getMessage());
        IllegalArgumentException small = assertThrows(
                IllegalArgumentException.class, () -> dijkstra.solve(new float[3], 0, 2, 2, new float[4], 0));
        assertTrue(small.getMessage().contains("2 x 2 grid"), small.getMessage());
        IllegalArgumentException overflow = assertThrows(
                IllegalArgumentException.class,
                () -> new GridDijkstra(true, GridDijkstra.Sums.FLOAT32)
                        .solve(
                                new float[] {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE},
                                0,
                                2,
                                2,
                                new float[4],
                                0));
        assertTrue(overflow.getMessage().contains("overflows float32"), overflow.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GridDijkstra(true, null));
    }
}
