package dev.aimle.solvers.topk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of {@link TopKSolver} beyond the SPI contract, on both paths. */
class TopKSolverTest {
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private float[] solve(TopKSolver solver, float[] scores, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = solver.solve(scope.create(scores, shape));
            assertEquals(shape, z.getShape(), "shape");
            assertEquals(DataType.FLOAT32, z.getDataType(), "dtype");
            return z.toFloatArray();
        }
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void dvaeShapeMatchesPlainReference(TopKSolver.Path path) {
        TopKSolver solver = new TopKSolver(10, path);
        for (long seed = 0; seed < 5; seed++) {
            Shape shape = new Shape(32, 20, 20);
            float[] scores = Reference.gaussian(seed, (int) shape.size());
            assertArrayEquals(
                    Reference.topK(scores, 20, 10),
                    solve(solver, scores, shape),
                    "seed " + seed + ", [32, 20, 20], k = 10, path " + path);
        }
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void everyRowOfTheLastAxisGetsItsOwnTopK(TopKSolver.Path path) {
        Shape[] shapes = {new Shape(4, 7), new Shape(4, 3, 7), new Shape(2, 2, 3, 6), new Shape(1, 1, 5)};
        int[] ks = {2, 3, 1, 5};
        for (int s = 0; s < shapes.length; s++) {
            Shape shape = shapes[s];
            int n = (int) shape.get(shape.dimension() - 1);
            float[] scores = Reference.gaussian(100 + s, (int) shape.size());
            float[] z = solve(new TopKSolver(ks[s], path), scores, shape);
            assertArrayEquals(
                    Reference.topK(scores, n, ks[s]),
                    z,
                    "seed " + (100 + s) + ", shape " + shape + ", k = " + ks[s] + ", path " + path);
        }
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void largeBatchesMatchTheReference(TopKSolver.Path path) {
        // 128 x 400 is above the host path's parallel threshold, so this also covers parallel rows.
        Shape shape = new Shape(128, 400);
        assertTrue(shape.size() >= TopKSolver.PARALLEL_THRESHOLD, "should exercise parallel rows");
        for (int k : new int[] {1, 10, 200, 400}) {
            float[] scores = Reference.gaussian(7 + k, (int) shape.size());
            assertArrayEquals(
                    Reference.topK(scores, 400, k),
                    solve(new TopKSolver(k, path), scores, shape),
                    "seed " + (7 + k) + ", [128, 400], k = " + k + ", path " + path);
            assertArrayEquals(
                    Reference.topK(scores, 400, k),
                    new TopKSolver(k, path).solveOnHost(scores, shape, manager),
                    "solveOnHost, seed " + (7 + k) + ", [128, 400], k = " + k + ", path " + path);
        }
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void tiesGoToTheLowerIndex(TopKSolver.Path path) {
        Shape shape = new Shape(1, 5);
        assertArrayEquals(
                new float[] {0, 1, 1, 0, 0},
                solve(new TopKSolver(2, path), new float[] {1, 2, 2, 2, 0}, shape),
                "k = 2, three-way tie");
        assertArrayEquals(
                new float[] {1, 1, 1, 0, 0},
                solve(new TopKSolver(3, path), new float[] {5, 5, 5, 5, 5}, shape),
                "k = 3, all equal");
        assertArrayEquals(
                new float[] {0, 1, 0, 0, 0},
                solve(new TopKSolver(1, path), new float[] {0, 3, 3, -1, 3}, shape),
                "k = 1");
        assertArrayEquals(
                new float[] {0, 0, 0, 0, 1},
                solve(new TopKSolver(1, path), new float[] {0, 3, 3, -1, 4}, shape),
                "k = 1, no tie");
        assertArrayEquals(
                new float[] {0, 1, 0, 1, 1},
                solve(new TopKSolver(3, path), new float[] {1, 2, 1, 3, 2}, shape),
                "tie above the threshold");
        assertArrayEquals(
                new float[] {1, 0, 0, 0, 0},
                solve(new TopKSolver(1, path), new float[] {-0f, 0f, -1, -2, -0f}, shape),
                "-0.0 equals 0.0");
        assertArrayEquals(
                new float[] {1, 1, 0, 0, 0},
                solve(new TopKSolver(2, path), new float[] {0f, -0f, 0f, -1, -0f}, shape),
                "-0.0 equals 0.0, k = 2");
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void manyTiesMatchTheReference(TopKSolver.Path path) {
        // Integers in [0, 3) make ties at the threshold in almost every row (the tensor path's
        // tie-resolving branch); the reference sorts on (score descending, index ascending). Rows of
        // 12 use the host path's buffered scan, rows of 60 with k > 16 its quickselect.
        int[][] cases = {{12, 1}, {12, 2}, {12, 5}, {12, 11}, {12, 12}, {60, 17}, {60, 30}, {60, 59}};
        for (int[] c : cases) {
            int n = c[0];
            int k = c[1];
            long seed = 40 + 100 * n + k;
            Shape shape = new Shape(64, 3, n);
            float[] scores = Reference.smallIntegers(seed, (int) shape.size(), 3);
            assertArrayEquals(
                    Reference.topK(scores, n, k),
                    solve(new TopKSolver(k, path), scores, shape),
                    "seed " + seed + ", n = " + n + ", k = " + k + ", path " + path);
            assertArrayEquals(
                    Reference.topK(scores, n, k),
                    new TopKSolver(k, path).solveOnHost(scores.clone(), shape, manager),
                    "solveOnHost, seed " + seed + ", n = " + n + ", k = " + k + ", path " + path);
        }
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void kOutsideTheRowIsRejectedWithItsValue(TopKSolver.Path path) {
        NDArray theta = manager.create(new float[20], new Shape(2, 10));
        IllegalArgumentException tooLarge =
                assertThrows(IllegalArgumentException.class, () -> new TopKSolver(12, path).solve(theta));
        assertEquals("k (12) must be between 1 and the instance size (10)", tooLarge.getMessage());
        IllegalArgumentException dvae = assertThrows(
                IllegalArgumentException.class,
                () -> new TopKSolver(21, path).solve(manager.zeros(new Shape(2, 20, 20))));
        assertEquals("k (21) must be between 1 and the instance size (20)", dvae.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new TopKSolver(0, path));
        assertEquals("k (0) must be at least 1", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TopKSolver(-3, path));
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void nonFiniteScoresAreRejectedNamingPositionAndValue(TopKSolver.Path path) {
        float[] v = new float[6];
        v[5] = Float.NaN;
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class,
                () -> new TopKSolver(2, path).solve(manager.create(v, new Shape(2, 3))));
        assertEquals("theta[1, 2] is NaN; all values must be finite (shape (2, 3))", nan.getMessage());
        v[5] = 0;
        v[1] = Float.NEGATIVE_INFINITY;
        IllegalArgumentException inf = assertThrows(
                IllegalArgumentException.class,
                () -> new TopKSolver(1, path).solve(manager.create(v, new Shape(2, 3))));
        assertEquals("theta[0, 1] is -Infinity; all values must be finite (shape (2, 3))", inf.getMessage());
    }

    @Test
    void theFirstNonFiniteScoreIsNamedWhicheverParallelChunkFindsOne() {
        // 128 x 400 is solved in one chunk per core; a bad value late in the input and one early
        // must always give the early one, however the chunks are scheduled.
        Shape shape = new Shape(128, 400);
        float[] scores = Reference.gaussian(5, (int) shape.size());
        scores[127 * 400 + 9] = Float.POSITIVE_INFINITY;
        scores[3 * 400 + 7] = Float.NaN;
        for (int round = 0; round < 20; round++) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new TopKSolver(10, TopKSolver.Path.HOST).solveOnHost(scores, shape, manager));
            assertEquals("theta[3, 7] is NaN; all values must be finite (shape (128, 400))", e.getMessage());
        }
        scores[3 * 400 + 7] = 0;
        IllegalArgumentException late = assertThrows(
                IllegalArgumentException.class,
                () -> new TopKSolver(10, TopKSolver.Path.HOST).solveOnHost(scores, shape, manager));
        assertEquals("theta[127, 9] is Infinity; all values must be finite (shape (128, 400))", late.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void finiteScoresWhoseSumOverflowsAreSolved(TopKSolver.Path path) {
        float[] v = {3e38f, 3e38f, 1f, 3e38f, 2f, 0f};
        float[] z = solve(new TopKSolver(2, path), v, new Shape(2, 3));
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 0}, z, "float sum overflows to Infinity; path " + path);
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void wrongRankAndDtypeAreRejected(TopKSolver.Path path) {
        IllegalArgumentException rank = assertThrows(
                IllegalArgumentException.class,
                () -> new TopKSolver(1, path).solve(manager.create(new float[] {1, 2, 3})));
        assertTrue(
                rank.getMessage().contains("(3)") && rank.getMessage().contains("at least 2 axes"), rank.getMessage());
        IllegalArgumentException dtype = assertThrows(
                IllegalArgumentException.class,
                () -> new TopKSolver(1, path).solve(manager.create(new double[] {1, 2, 3, 4}, new Shape(2, 2))));
        assertTrue(
                dtype.getMessage().contains("float32") && dtype.getMessage().contains("float64"), dtype.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void resultIsAttachedToTheInputsManagerAndNothingElseIsLeft(TopKSolver.Path path) {
        try (NDManager caller = manager.newSubManager()) {
            NDArray distinct = caller.create(Reference.gaussian(3, 4 * 9), new Shape(4, 9));
            NDArray tied = caller.create(Reference.smallIntegers(3, 4 * 9, 2), new Shape(4, 9));
            for (int k : new int[] {1, 4}) {
                for (NDArray theta : List.of(distinct, tied)) {
                    int before = caller.getManagedArrays().size();
                    NDArray z = new TopKSolver(k, path).solve(theta);
                    assertSame(caller, z.getManager(), "result's manager, k = " + k);
                    assertEquals(theta.getDevice(), z.getDevice(), "device");
                    assertEquals(
                            before + 1,
                            caller.getManagedArrays().size(),
                            "arrays left on the caller's manager besides the result, k = " + k + ", path " + path);
                    assertSame(caller, theta.getManager(), "theta stays with its manager");
                    assertFalse(theta.isReleased(), "theta must stay open");
                    z.close();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TopKSolver.Path.class)
    void emptyBatchGivesEmptyOutput(TopKSolver.Path path) {
        NDArray z = new TopKSolver(2, path).solve(manager.zeros(new Shape(0, 5)));
        assertEquals(new Shape(0, 5), z.getShape());
        assertEquals(DataType.FLOAT32, z.getDataType());
    }

    @Test
    void pathsAgreeOnTheDvaeShape() {
        Shape shape = new Shape(2560 / 20, 20, 20);
        float[] scores = Reference.gaussian(2024, (int) shape.size());
        assertArrayEquals(
                solve(new TopKSolver(10, TopKSolver.Path.HOST), scores, shape),
                solve(new TopKSolver(10, TopKSolver.Path.TENSOR), scores, shape),
                "seed 2024");
    }

    @Test
    void concurrentCallsAreIndependent() throws Exception {
        TopKSolver solver = new TopKSolver(3, TopKSolver.Path.TENSOR);
        TopKSolver host = new TopKSolver(3, TopKSolver.Path.HOST);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                long seed = 500 + t;
                TopKSolver s = t % 2 == 0 ? solver : host;
                results.add(pool.submit(() -> {
                    float[] scores = Reference.gaussian(seed, 50 * 30);
                    try (NDManager own = NDManager.newBaseManager()) {
                        float[] z =
                                s.solve(own.create(scores, new Shape(50, 30))).toFloatArray();
                        return Arrays.equals(Reference.topK(scores, 30, 3), z);
                    }
                }));
            }
            for (int t = 0; t < results.size(); t++) {
                assertTrue(results.get(t).get(), "task with seed " + (500 + t));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void describesItself() {
        TopKSolver solver = new TopKSolver(4, TopKSolver.Path.TENSOR);
        assertEquals("topk", solver.name());
        assertEquals(4, solver.k());
        assertTrue(solver.isBatchedOnDevice());
        assertFalse(new TopKSolver(4, TopKSolver.Path.HOST).isBatchedOnDevice());
        assertTrue(new TopKSolver(4, TopKSolver.Path.AUTO).isBatchedOnDevice());
        assertTrue(solver.distribution().isPresent());
        assertEquals(TopKSolver.Path.AUTO, new TopKSolver(2).path());
    }

    @Test
    void autoTakesTheHostPathForCpuArrays() {
        NDArray theta = manager.zeros(new Shape(2, 5));
        assertEquals("cpu", theta.getDevice().getDeviceType(), "these tests run on the CPU");
        assertEquals(TopKSolver.Path.HOST, new TopKSolver(2, TopKSolver.Path.AUTO).resolve(theta));
        assertEquals(TopKSolver.Path.TENSOR, new TopKSolver(2, TopKSolver.Path.TENSOR).resolve(theta));
        assertEquals(TopKSolver.Path.HOST, new TopKSolver(2, TopKSolver.Path.HOST).resolve(theta));
    }

    @Test
    void hostSelectionFindsEveryOrderStatistic() {
        // The quickselect against a full sort, on random keys with every target position.
        SplittableRandom random = new SplittableRandom(77);
        for (int size : new int[] {1, 2, 15, 16, 17, 100, 1000}) {
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                values[i] = (float) random.nextGaussian();
            }
            float[] sorted = values.clone();
            Arrays.sort(sorted);
            for (int target = 0; target < size; target++) {
                assertEquals(
                        sorted[target],
                        HostTopK.select(values.clone(), target),
                        "seed 77, size " + size + ", target " + target);
            }
            float[] ties = Reference.smallIntegers(78 + size, size, 3);
            float[] sortedTies = ties.clone();
            Arrays.sort(sortedTies);
            for (int target = 0; target < size; target++) {
                assertEquals(
                        sortedTies[target],
                        HostTopK.select(ties.clone(), target),
                        "seed " + (78 + size) + ", size " + size + ", target " + target + ", with ties");
            }
        }
    }
}
