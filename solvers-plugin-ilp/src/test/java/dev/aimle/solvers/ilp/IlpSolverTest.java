package dev.aimle.solvers.ilp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.InfeasibleProblemException;
import dev.aimle.api.SolverDeadlineException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** IlpSolver against independent references (sort-based top-k), its errors, and thread-safety. */
class IlpSolverTest {
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Reference top-k: a stable sort by descending score, so ties go to the lower index. */
    static float[] sortTopK(float[] scores, int k) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]));
        float[] z = new float[scores.length];
        for (int r = 0; r < k; r++) {
            z[order[r]] = 1f;
        }
        return z;
    }

    static float[] gaussian(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    private float[] solve(IlpSolver solver, float[] flat, int n) {
        NDArray theta = manager.create(flat, new Shape(flat.length / n, n));
        return solver.solve(theta).toFloatArray();
    }

    @ParameterizedTest
    @EnumSource(IlpSolver.Backend.class)
    void cardinalityConstraintGivesExactlySortBasedTopK(IlpSolver.Backend backend) {
        int n = 50;
        int batch = 16;
        for (int k : new int[] {0, 1, 10, 25, 49, 50}) {
            IlpSolver solver = IlpSolver.builder(IlpProblem.cardinality(n, k))
                    .optBackend(backend)
                    .optParallelism(2)
                    .build();
            for (long seed = 0; seed < (backend == IlpSolver.Backend.SCIP ? 2 : 6); seed++) {
                float[] theta = gaussian(1000 * k + seed, batch * n);
                float[] z = solve(solver, theta, n);
                for (int row = 0; row < batch; row++) {
                    float[] expected = sortTopK(Arrays.copyOfRange(theta, row * n, (row + 1) * n), k);
                    assertArrayEquals(
                            expected,
                            Arrays.copyOfRange(z, row * n, (row + 1) * n),
                            backend.id() + " k " + k + " seed " + (1000 * k + seed) + " row " + row);
                }
            }
        }
    }

    @Test
    void tiesGoToLowerIndicesLikeAStableTopK() {
        int n = 20;
        for (long seed = 0; seed < 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] theta = new float[4 * n];
            for (int i = 0; i < theta.length; i++) {
                theta[i] = random.nextInt(4) - 1.5f; // many exact ties
            }
            for (int k : new int[] {1, 7, 13}) {
                float[] z = solve(new IlpSolver(IlpProblem.cardinality(n, k)), theta, n);
                for (int row = 0; row < 4; row++) {
                    assertArrayEquals(
                            sortTopK(Arrays.copyOfRange(theta, row * n, (row + 1) * n), k),
                            Arrays.copyOfRange(z, row * n, (row + 1) * n),
                            "seed " + seed + " k " + k + " row " + row);
                }
            }
        }
        float[] zeros = new float[n];
        float[] expected = new float[n];
        Arrays.fill(expected, 0, 5, 1f);
        assertArrayEquals(expected, solve(new IlpSolver(IlpProblem.cardinality(n, 5)), zeros, n), "all-zero scores");
    }

    @Test
    void scoresOneUlpApartAreTold() {
        float a = 1.0f;
        float b = Math.nextUp(a);
        float[] z = solve(new IlpSolver(IlpProblem.cardinality(3, 1)), new float[] {a, b, -b}, 3);
        assertArrayEquals(new float[] {0, 1, 0}, z, "1 vs nextUp(1)");
        float big = 3e30f;
        z = solve(new IlpSolver(IlpProblem.cardinality(3, 2)), new float[] {-big, Math.nextDown(big), big}, 3);
        assertArrayEquals(new float[] {0, 1, 1}, z, "large magnitudes");
    }

    @Test
    void unconstrainedPicksThePositiveScores() {
        IlpSolver solver = new IlpSolver(IlpProblem.builder("free", 5).build());
        assertArrayEquals(
                new float[] {1, 0, 1, 1, 0},
                solve(solver, new float[] {0.5f, -1f, 2f, 0f, -0.1f}, 5),
                "z_i = 1 iff theta_i > 0, and a zero score is taken (tie rule prefers more ones at lower indices)");
    }

    @ParameterizedTest
    @EnumSource(IlpSolver.Backend.class)
    void decimalCoefficientsAreSolvedExactly(IlpSolver.Backend backend) {
        // 0.5 z0 + 1.25 z1 + 0.75 z2 + 2.5 z3 + 0.1 z4 <= 2.2 and z0 + z1 + z2 + z3 + z4 >= 2
        double[] w = {0.5, 1.25, 0.75, 2.5, 0.1};
        IlpProblem problem = IlpProblem.builder("decimals", 5)
                .lessOrEqual(w, 2.2)
                .greaterOrEqual(new double[] {1, 1, 1, 1, 1}, 2)
                .build();
        IlpSolver solver = IlpSolver.builder(problem).optBackend(backend).build();
        for (long seed = 0; seed < 10; seed++) {
            float[] theta = gaussian(seed, 5);
            float[] z = solve(solver, theta, 5);
            assertTrue(problem.isFeasible(z), "seed " + seed + ": " + Arrays.toString(z));
            assertEquals(bestByEnumeration(problem, theta), dot(theta, z), 1e-6, backend.id() + " seed " + seed);
        }
    }

    @Test
    void cpSatRefusesCoefficientsThatAreNotShortDecimals() {
        IlpProblem problem = IlpProblem.builder("thirds", 3)
                .lessOrEqual(new double[] {1, 1 / 3.0, 1}, 1)
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IlpSolver(problem));
        assertTrue(
                e.getMessage().contains("'thirds'")
                        && e.getMessage().contains("constraint 0")
                        && e.getMessage().contains("z1")
                        && e.getMessage().contains("scip"),
                e.getMessage());
        // the same problem is fine for SCIP
        IlpSolver scip =
                IlpSolver.builder(problem).optBackend(IlpSolver.Backend.SCIP).build();
        float[] z = solve(scip, new float[] {1f, 0.5f, 0.9f}, 3);
        assertArrayEquals(new float[] {1, 0, 0}, z, "1 * z0 beats 1/3 * z1 with 0.5 and the capacity 1");
    }

    private static double bestByEnumeration(IlpProblem problem, float[] theta) {
        int n = problem.variables();
        double best = Double.NEGATIVE_INFINITY;
        float[] z = new float[n];
        for (int mask = 0; mask < 1 << n; mask++) {
            for (int i = 0; i < n; i++) {
                z[i] = (mask >>> i & 1) == 1 ? 1f : 0f;
            }
            if (problem.isFeasible(z)) {
                best = Math.max(best, dot(theta, z));
            }
        }
        return best;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(IlpSolver.Backend.class)
    void infeasibleProblemNamesItselfAndTheConflictingConstraints(IlpSolver.Backend backend) {
        double[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
        IlpProblem problem = IlpProblem.builder("impossible-window", 8)
                .lessOrEqual(new double[] {3, 5, 2, 7, 4, 6, 1, 8}, 30)
                .addConstraint("at-least-5", ones, IlpProblem.Sense.GREATER_OR_EQUAL, 5)
                .lessOrEqual(new double[] {1, 0, 0, 0, 0, 0, 0, 1}, 1)
                .addConstraint("at-most-3", ones, IlpProblem.Sense.LESS_OR_EQUAL, 3)
                .build();
        IlpSolver solver = IlpSolver.builder(problem).optBackend(backend).build();
        NDArray theta = manager.create(gaussian(7, 16), new Shape(2, 8));
        InfeasibleProblemException e = assertThrows(InfeasibleProblemException.class, () -> solver.solve(theta));
        assertEquals("impossible-window", e.problem());
        String m = e.getMessage();
        assertTrue(
                m.contains("'impossible-window'")
                        && m.contains("constraint 1 'at-least-5'")
                        && m.contains("constraint 3 'at-most-3'"),
                m);
        assertFalse(m.contains("constraint 0") || m.contains("constraint 2"), "witness must be irreducible: " + m);
        // remembered: the feasible set does not depend on theta
        InfeasibleProblemException again = assertThrows(InfeasibleProblemException.class, () -> solver.solve(theta));
        assertEquals(m, again.getMessage());
    }

    @ParameterizedTest
    @EnumSource(IlpSolver.Backend.class)
    void equalityWithNoIntegerSolutionIsInfeasible(IlpSolver.Backend backend) {
        IlpProblem problem = IlpProblem.builder("odd-sum", 4)
                .equalTo(new double[] {2, 2, 4, 0}, 3)
                .build();
        IlpSolver solver = IlpSolver.builder(problem).optBackend(backend).build();
        InfeasibleProblemException e = assertThrows(
                InfeasibleProblemException.class,
                () -> solver.solve(manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 4))));
        assertTrue(
                e.getMessage().contains("'odd-sum'") && e.getMessage().contains("2 z0 + 2 z1 + 4 z2 == 3"),
                e.getMessage());
    }

    /** A random multi-knapsack with 400 items and 40 constraints: far from solvable in 1 ms. */
    static IlpProblem hardMultiKnapsack(long seed) {
        int n = 400;
        SplittableRandom random = new SplittableRandom(seed);
        IlpProblem.Builder b = IlpProblem.builder("multi-knapsack-400x40", n);
        for (int j = 0; j < 40; j++) {
            double[] w = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                w[i] = 1 + random.nextInt(1000);
                total += w[i];
            }
            b.lessOrEqual(w, Math.floor(total / 4));
        }
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(IlpSolver.Backend.class)
    void anExpiredTimeLimitIsAnErrorNotAResult(IlpSolver.Backend backend) {
        IlpProblem problem = hardMultiKnapsack(42);
        IlpSolver solver = IlpSolver.builder(problem)
                .optBackend(backend)
                .optTimeLimitMs(1)
                .optParallelism(1)
                .build();
        NDArray theta = manager.create(gaussian(42, 400), new Shape(1, 400));
        SolverDeadlineException e =
                assertThrows(SolverDeadlineException.class, () -> solver.solve(theta), "seed 42, " + backend.id());
        assertEquals(Duration.ofMillis(1), e.limit());
        assertTrue(
                e.getMessage().contains("'multi-knapsack-400x40'")
                        && e.getMessage().contains("1 ms"),
                e.getMessage());
    }

    @Test
    void wrongInstanceSizeNamesBothNumbers() {
        IlpSolver solver = new IlpSolver(IlpProblem.cardinality(8, 3));
        NDArray theta = manager.create(new float[14], new Shape(2, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> solver.solve(theta));
        assertEquals(
                "instance size (7) must equal the number of variables (8) of ILP problem 'cardinality-8-3'",
                e.getMessage());
    }

    @Test
    void instancesMayHaveSeveralAxes() {
        IlpSolver solver = new IlpSolver(IlpProblem.cardinality(6, 2));
        float[] theta = gaussian(3, 12);
        NDArray z = solver.solve(manager.create(theta, new Shape(2, 2, 3)));
        assertEquals(new Shape(2, 2, 3), z.getShape());
        float[] flat = z.toFloatArray();
        for (int row = 0; row < 2; row++) {
            assertArrayEquals(
                    sortTopK(Arrays.copyOfRange(theta, row * 6, row * 6 + 6), 2),
                    Arrays.copyOfRange(flat, row * 6, row * 6 + 6),
                    "row " + row + " (seed 3)");
        }
    }

    @Test
    void builderRejectsBadOptions() {
        IlpSolver.Builder b = IlpSolver.builder(IlpProblem.cardinality(4, 2));
        assertEquals(
                "timeLimitMs (0) must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> b.optTimeLimitMs(0))
                        .getMessage());
        assertEquals(
                "parallelism (0) must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> b.optParallelism(0))
                        .getMessage());
        assertEquals(
                "backend 'gurobi' must be one of 'cp-sat', 'scip'",
                assertThrows(IllegalArgumentException.class, () -> IlpSolver.Backend.fromId("gurobi"))
                        .getMessage());
    }

    /** A cardinality window and a knapsack on n = 50, so the search does real work. */
    static IlpProblem benchmarkLikeProblem() {
        int n = 50;
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        double[] w = new double[n];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            w[i] = 1 + random.nextInt(20);
        }
        return IlpProblem.builder("window-knapsack-50", n)
                .greaterOrEqual(ones, 5)
                .lessOrEqual(ones, 15)
                .lessOrEqual(w, 60)
                .build();
    }

    @ParameterizedTest
    @EnumSource(IlpSolver.Backend.class)
    void parallelAndConcurrentSolvesGiveTheSequentialAnswers(IlpSolver.Backend backend) throws Exception {
        IlpProblem problem = benchmarkLikeProblem();
        int n = problem.variables();
        int batch = 12;
        IlpSolver sequential =
                IlpSolver.builder(problem).optBackend(backend).optParallelism(1).build();
        IlpSolver shared =
                IlpSolver.builder(problem).optBackend(backend).optParallelism(4).build();
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (long seed = 0; seed < 4; seed++) {
            float[] theta = gaussian(100 + seed, batch * n);
            inputs.add(theta);
            expected.add(solve(sequential, theta, n));
        }
        // one solver used by several threads at once, each solving a batch in parallel chunks
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int rep = 0; rep < 2; rep++) {
                for (float[] theta : inputs) {
                    futures.add(pool.submit(() -> {
                        try (NDManager scope = NDManager.newBaseManager()) {
                            return shared.solve(scope.create(theta, new Shape(batch, n)))
                                    .toFloatArray();
                        }
                    }));
                }
            }
            for (int f = 0; f < futures.size(); f++) {
                assertArrayEquals(
                        expected.get(f % inputs.size()),
                        futures.get(f).get(),
                        backend.id() + " seed " + (100 + f % inputs.size()) + " repetition " + f / inputs.size());
            }
        } finally {
            pool.shutdownNow();
        }
        for (int s = 0; s < inputs.size(); s++) {
            float[] z = expected.get(s);
            for (int row = 0; row < batch; row++) {
                assertTrue(
                        problem.isFeasible(Arrays.copyOfRange(z, row * n, (row + 1) * n)),
                        "seed " + (100 + s) + " row " + row);
            }
        }
    }

    @Test
    void backendsAgreeOnTheOptimalObjective() {
        IlpProblem problem = benchmarkLikeProblem();
        int n = problem.variables();
        IlpSolver cpSat = IlpSolver.builder(problem).optParallelism(2).build();
        IlpSolver scip = IlpSolver.builder(problem)
                .optBackend(IlpSolver.Backend.SCIP)
                .optParallelism(2)
                .build();
        float[] theta = gaussian(77, 16 * n);
        float[] a = solve(cpSat, theta, n);
        float[] b = solve(scip, theta, n);
        for (int row = 0; row < 16; row++) {
            float[] s = Arrays.copyOfRange(theta, row * n, (row + 1) * n);
            assertEquals(
                    dot(s, Arrays.copyOfRange(a, row * n, (row + 1) * n)),
                    dot(s, Arrays.copyOfRange(b, row * n, (row + 1) * n)),
                    1e-6,
                    "seed 77 row " + row);
        }
    }
}
