package dev.aimle.solvers.shortestpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.api.ScoreDomain;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shortest-path solver against brute force over every simple path (small grids) and against an
 * independent textbook Dijkstra (12 x 12 and 30 x 30, the Warcraft sizes), its tie rule on worked
 * examples, negative costs, shapes and what it declares. Costs are |N(0, 1)| from fixed seeds;
 * costs are compared with a relative tolerance of 1e-5 (float32 sums of at most 900 costs).
 */
class ShortestPathSolverTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static ShortestPathSolver solver(Neighbourhood nb, ShortestPathSolver.Algorithm algorithm) {
        return new ShortestPathSolver(nb, NegativeCosts.CLIP, algorithm, 2);
    }

    private float[] solve(MapSolver solver, float[] costs, int batch, int h, int w) {
        return solver.solve(manager.create(costs, new Shape(batch, h, w))).toFloatArray();
    }

    private static void assertSameCost(double expected, double got, String what) {
        assertEquals(expected, got, 1e-5 * Math.max(1, Math.abs(expected)), what);
    }

    @ParameterizedTest(name = "{0}x{1}, {2} neighbours")
    @CsvSource({"2,2,8", "3,3,8", "3,4,8", "4,3,8", "2,5,8", "3,3,4", "3,4,4", "4,4,4", "4,5,4", "1,6,8"})
    void everyAnswerIsThePathOfLowestCostAmongAllSimplePaths(int h, int w, int neighbours) {
        boolean eight = neighbours == 8;
        Neighbourhood nb = eight ? Neighbourhood.EIGHT : Neighbourhood.FOUR;
        int batch = 30;
        float[] costs =
                ScoreDomain.NON_NEGATIVE.draw(new SplittableRandom(h * 100L + w * 10L + neighbours), batch * h * w);
        for (ShortestPathSolver.Algorithm algorithm : ShortestPathSolver.Algorithm.values()) {
            float[] z = solve(solver(nb, algorithm), costs, batch, h, w);
            for (int b = 0; b < batch; b++) {
                float[] c = Arrays.copyOfRange(costs, b * h * w, (b + 1) * h * w);
                float[] path = Arrays.copyOfRange(z, b * h * w, (b + 1) * h * w);
                String what = algorithm + " instance " + b;
                assertTrue(GridPaths.isPath(path, w, nb), what + ": not a path " + Arrays.toString(path));
                assertSameCost(IndependentPaths.bruteForceCost(c, h, w, eight), IndependentPaths.cost(c, path), what);
            }
        }
    }

    @ParameterizedTest(name = "{0}x{0}, {1} neighbours")
    @CsvSource({"12,8", "12,4", "30,8", "30,4"})
    void costsAgreeWithAnIndependentDijkstraAndBothAlgorithmsFindTheSamePath(int side, int neighbours) {
        boolean eight = neighbours == 8;
        Neighbourhood nb = eight ? Neighbourhood.EIGHT : Neighbourhood.FOUR;
        int batch = side == 12 ? 40 : 10;
        int n = side * side;
        float[] costs = ScoreDomain.NON_NEGATIVE.draw(new SplittableRandom(side * 10L + neighbours), batch * n);
        float[] ours = solve(solver(nb, ShortestPathSolver.Algorithm.DIJKSTRA), costs, batch, side, side);
        float[] jgrapht = solve(solver(nb, ShortestPathSolver.Algorithm.JGRAPHT), costs, batch, side, side);
        // continuous random costs: the cheapest path is unique (almost surely), so both find it
        assertArrayEquals(jgrapht, ours, 0f, "dijkstra vs jgrapht");
        for (int b = 0; b < batch; b++) {
            float[] c = Arrays.copyOfRange(costs, b * n, (b + 1) * n);
            float[] path = Arrays.copyOfRange(ours, b * n, (b + 1) * n);
            assertTrue(GridPaths.isPath(path, side, nb), "instance " + b + " is not a path");
            assertSameCost(
                    IndependentPaths.dijkstraCost(c, side, side, eight),
                    IndependentPaths.cost(c, path),
                    "instance " + b);
        }
    }

    @Test
    void integerCostsWithManyTiesStillGiveCheapestPaths() {
        int h = 8;
        int w = 9;
        int batch = 50;
        SplittableRandom random = new SplittableRandom(3);
        float[] costs = new float[batch * h * w];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = random.nextInt(3); // 0, 1 or 2: ties everywhere, zero-cost plateaus
        }
        for (Neighbourhood nb : Neighbourhood.values()) {
            MapSolver solver = solver(nb, ShortestPathSolver.Algorithm.DIJKSTRA);
            float[] z = solve(solver, costs, batch, h, w);
            assertArrayEquals(z, solve(solver, costs, batch, h, w), 0f, "deterministic");
            for (int b = 0; b < batch; b++) {
                float[] c = Arrays.copyOfRange(costs, b * h * w, (b + 1) * h * w);
                float[] path = Arrays.copyOfRange(z, b * h * w, (b + 1) * h * w);
                assertTrue(GridPaths.isPath(path, w, nb), nb + " instance " + b + " is not a path");
                assertEquals(
                        IndependentPaths.dijkstraCost(c, h, w, nb == Neighbourhood.EIGHT),
                        IndependentPaths.cost(c, path),
                        0,
                        nb + " instance " + b);
            }
        }
    }

    @Test
    void tiesFollowTheDocumentedRule() {
        float[] flat2x2 = {1, 1, 1, 1};
        // 8 neighbours: the diagonal is cheapest (two cells)
        assertArrayEquals(
                new float[] {1, 0, 0, 1},
                solve(solver(Neighbourhood.EIGHT, ShortestPathSolver.Algorithm.DIJKSTRA), flat2x2, 1, 2, 2),
                0f);
        // 4 neighbours: right-then-down and down-then-right tie; cell 1 is settled before cell 2
        assertArrayEquals(
                new float[] {1, 1, 0, 1},
                solve(solver(Neighbourhood.FOUR, ShortestPathSolver.Algorithm.DIJKSTRA), flat2x2, 1, 2, 2),
                0f);
        // all zero, 3 x 3, 8 neighbours: cell 0 reaches 1, 3 and 4 first; of the goal's neighbours
        // 4, 5 and 7, cell 4 is settled first (index order among equal costs) and reaches the goal
        assertArrayEquals(
                new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                solve(solver(Neighbourhood.EIGHT, ShortestPathSolver.Algorithm.DIJKSTRA), new float[9], 1, 3, 3),
                0f);
        // all zero, 3 x 3, 4 neighbours: 0 -> 1 -> 2 -> 5 -> 8 (the lower index settles first)
        assertArrayEquals(
                new float[] {1, 1, 1, 0, 0, 1, 0, 0, 1},
                solve(solver(Neighbourhood.FOUR, ShortestPathSolver.Algorithm.DIJKSTRA), new float[9], 1, 3, 3),
                0f);
    }

    @Test
    void thePathCostCountsEveryCellBothEndsIncluded() {
        // a single row: the only path is the whole row, whose cost is the sum of all five cells
        float[] row = {2, 1, 0.5f, 1, 3};
        float[] z = solve(new ShortestPathSolver(), row, 1, 1, 5);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1}, z, 0f);
        assertEquals(7.5, IndependentPaths.cost(row, z), 0);
        // a 1 x 1 grid: the path is its one cell
        assertArrayEquals(new float[] {1}, solve(new ShortestPathSolver(), new float[] {4}, 1, 1, 1), 0f);
        // an expensive start cell does not change which path is cheapest: every path holds it
        float[] a = {100, 5, 1, 1};
        float[] b = {0, 5, 1, 1};
        MapSolver four = solver(Neighbourhood.FOUR, ShortestPathSolver.Algorithm.DIJKSTRA);
        assertArrayEquals(solve(four, b, 1, 2, 2), solve(four, a, 1, 2, 2), 0f);
        assertArrayEquals(new float[] {1, 0, 1, 1}, solve(four, a, 1, 2, 2), 0f);
    }

    @Test
    void negativeCostsAreClippedToZeroByDefaultAsTheReferenceDoes() {
        SplittableRandom random = new SplittableRandom(5);
        float[] costs = ScoreDomain.REAL.draw(random, 20 * 36);
        float[] clipped = costs.clone();
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = Math.max(0f, clipped[i]);
        }
        for (ShortestPathSolver.Algorithm algorithm : ShortestPathSolver.Algorithm.values()) {
            MapSolver solver = solver(Neighbourhood.EIGHT, algorithm);
            float[] z = solve(solver, costs, 20, 6, 6);
            float[] zc = solve(solver, clipped, 20, 6, 6);
            for (int b = 0; b < 20; b++) {
                float[] c = Arrays.copyOfRange(clipped, b * 36, (b + 1) * 36);
                assertSameCost(
                        IndependentPaths.dijkstraCost(c, 6, 6, true),
                        IndependentPaths.cost(c, Arrays.copyOfRange(z, b * 36, (b + 1) * 36)),
                        algorithm + " instance " + b);
            }
            if (algorithm == ShortestPathSolver.Algorithm.DIJKSTRA) {
                assertArrayEquals(zc, z, 0f, "clipping is what happens to negative costs");
            }
        }
    }

    @Test
    void negativeCostsCanBeRefusedNamingTheCell() {
        float[] costs = {1, 2, 3, 4, -0.5f, 6};
        for (ShortestPathSolver.Algorithm algorithm : ShortestPathSolver.Algorithm.values()) {
            ShortestPathSolver refusing =
                    new ShortestPathSolver(Neighbourhood.EIGHT, NegativeCosts.REFUSE, algorithm, 1);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> refusing.solve(manager.create(costs, new Shape(1, 2, 3))));
            assertTrue(
                    e.getMessage()
                            .startsWith("cost -0.5 of cell [1, 1] is negative; solver 'shortest-path' with"
                                    + " negative=refuse needs costs at least 0"),
                    e.getMessage());
        }
        // -0.0 is not negative
        ShortestPathSolver refusing = new ShortestPathSolver(
                Neighbourhood.EIGHT, NegativeCosts.REFUSE, ShortestPathSolver.Algorithm.DIJKSTRA, 1);
        assertArrayEquals(
                new float[] {1, 0, 0, 1},
                refusing.solve(manager.create(new float[] {-0f, 0, 0, -0f}, new Shape(1, 2, 2)))
                        .toFloatArray(),
                0f);
    }

    @Test
    void shapesOtherThanBatchHeightWidthAreRefused() {
        ShortestPathSolver solver = new ShortestPathSolver();
        IllegalArgumentException flat = assertThrows(
                IllegalArgumentException.class, () -> solver.solve(manager.create(new float[12], new Shape(2, 6))));
        assertEquals(
                "solver 'shortest-path' expects vertex costs [B, H, W] with H, W >= 1; got an instance of shape (6)",
                flat.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> solver.solve(manager.create(new float[8], new Shape(1, 2, 2, 2))));
        assertThrows(
                IllegalArgumentException.class, () -> solver.solve(manager.create(new float[0], new Shape(1, 0, 3))));
    }

    @Test
    void anOverflowingPathCostIsRefused() {
        float big = Float.MAX_VALUE / 2;
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ShortestPathSolver()
                        .solve(manager.create(new float[] {big, big, big, big, big}, new Shape(1, 1, 5))));
        assertTrue(e.getMessage().contains("overflows float32"), e.getMessage());
    }

    @Test
    void itDeclaresItsSenseUnitDomainAndExampleShape() {
        ShortestPathSolver solver = new ShortestPathSolver();
        assertEquals(MapSolver.Sense.MINIMISE, solver.sense());
        assertEquals(MapSolver.Unit.INSTANCE, solver.naturalUnit());
        assertEquals(ScoreDomain.NON_NEGATIVE, solver.scoreDomain());
        assertEquals(new Shape(3, 4), solver.exampleInstanceShape().orElseThrow());
        assertTrue(
                solver.feasibleSet().orElseThrow().contains(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new Shape(3, 3)));
    }

    @Test
    void theFeasibleSetHoldsExactlyTheCellSetsOfSimplePaths() {
        Shape shape = new Shape(3, 3);
        var eight = new GridPaths(Neighbourhood.EIGHT);
        var four = new GridPaths(Neighbourhood.FOUR);
        float[] diagonal = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        float[] lShape = {1, 0, 0, 1, 0, 0, 1, 1, 1};
        float[] tShape = {1, 1, 1, 0, 1, 0, 0, 1, 1}; // 0-1-2 with 4-7-8 hanging from 1: not a path
        float[] disconnected = {1, 0, 0, 0, 0, 0, 0, 0, 1};
        float[] noStart = {0, 1, 0, 0, 1, 0, 0, 0, 1};
        assertTrue(eight.contains(diagonal, shape));
        assertTrue(!four.contains(diagonal, shape));
        assertTrue(eight.contains(lShape, shape) && four.contains(lShape, shape));
        assertTrue(!four.contains(tShape, shape));
        assertTrue(!eight.contains(disconnected, shape) && !eight.contains(noStart, shape));
        // every cell, in a snake: a simple path with 4 neighbours
        assertTrue(four.contains(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, shape));
        assertTrue(!eight.contains(new float[] {1, 0.5f, 0, 0, 1, 0, 0, 0, 1}, shape));
    }
}
