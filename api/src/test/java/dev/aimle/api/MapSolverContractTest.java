package dev.aimle.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MapSolver} must meet, written once. Extend it in your solver's tests
 * (it is published in the {@code aimle-api} test-jar) and implement the four abstract methods; the
 * tests check shape, device, dtype, binary outputs, a new array (never the input itself, as the
 * app's {@link MapSolvers#checkOutput} requires), an empty batch, optimality against brute-force
 * enumeration of all binary vectors of the instance size, determinism, clear errors on bad input,
 * and that {@link MapSolver#solveOnHost} gives the states of {@link MapSolver#solve} (the default or
 * the solver's own) and refuses what it refuses.
 *
 * <p>Optimality is checked on {@link #instancesPerSeed()} random Gaussian instances for each of
 * {@link #seeds()} seeds; the seed is in every failure message. Objective values are compared with
 * an absolute tolerance of {@code 1e-4} (float32 sums of at most 20 standard normals).
 */
public abstract class MapSolverContractTest {
    /** Absolute tolerance on objective values. */
    protected static final double OBJECTIVE_TOLERANCE = 1e-4;

    /** The manager of the current test; closed after each test. */
    protected NDManager manager;

    /** The solver under test. */
    protected abstract MapSolver createSolver();

    /** A valid instance shape (without the batch axis) with at most 20 entries, e.g. {@code [6]}. */
    protected abstract Shape instanceShape();

    /** An instance shape (without the batch axis) this solver must reject. */
    protected abstract Shape wrongInstanceShape();

    /** Whether a binary vector (row-major over {@link #instanceShape()}) is feasible. */
    protected abstract boolean isFeasible(float[] z);

    /** How many seeds the optimality test runs. */
    protected int seeds() {
        return 20;
    }

    /** How many instances each seed draws. */
    protected int instancesPerSeed() {
        return 8;
    }

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Random N(0, 1) scores {@code [batch, instanceShape]} from a seeded generator. */
    protected NDArray randomTheta(long seed, int batch) {
        Shape shape = new Shape(batch).addAll(instanceShape());
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) gaussian(random);
        }
        return manager.create(values, shape);
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Test
    void outputHasShapeDeviceAndDtypeOfInput() {
        NDArray theta = randomTheta(1, 3);
        NDArray z = createSolver().solve(theta);
        assertEquals(theta.getShape(), z.getShape(), "shape");
        assertEquals(theta.getDevice(), z.getDevice(), "device");
        assertEquals(DataType.FLOAT32, z.getDataType(), "dtype");
    }

    @Test
    void outputsAreBinaryAndFeasible() {
        float[] z = createSolver().solve(randomTheta(2, 5)).toFloatArray();
        int n = Math.toIntExact(instanceShape().size());
        for (int row = 0; row < 5; row++) {
            float[] state = Arrays.copyOfRange(z, row * n, (row + 1) * n);
            for (float v : state) {
                assertTrue(v == 0f || v == 1f, "output value " + v + " is not in {0, 1}");
            }
            assertTrue(isFeasible(state), "row " + row + " is infeasible: " + Arrays.toString(state));
        }
    }

    @Test
    void solutionsAreOptimalAgainstEnumeration() {
        int n = Math.toIntExact(instanceShape().size());
        assertTrue(n <= 20, "instanceShape() must have at most 20 entries to enumerate, has " + n);
        MapSolver solver = createSolver();
        for (long seed = 0; seed < seeds(); seed++) {
            NDArray theta = randomTheta(seed, instancesPerSeed());
            float[] scores = theta.toFloatArray();
            float[] z = solver.solve(theta).toFloatArray();
            for (int row = 0; row < instancesPerSeed(); row++) {
                float[] s = Arrays.copyOfRange(scores, row * n, (row + 1) * n);
                float[] state = Arrays.copyOfRange(z, row * n, (row + 1) * n);
                assertTrue(isFeasible(state), "seed " + seed + " row " + row + ": infeasible output");
                double best = bestByEnumeration(s);
                double got = dot(s, state);
                assertEquals(
                        best,
                        got,
                        OBJECTIVE_TOLERANCE,
                        "seed " + seed + " row " + row
                                + ": objective of the solver's state vs the best feasible state");
            }
            theta.close();
        }
    }

    private double bestByEnumeration(float[] scores) {
        int n = scores.length;
        double best = Double.NEGATIVE_INFINITY;
        float[] state = new float[n];
        for (long mask = 0; mask < (1L << n); mask++) {
            for (int i = 0; i < n; i++) {
                state[i] = (mask >>> i & 1) == 1 ? 1f : 0f;
            }
            if (isFeasible(state)) {
                best = Math.max(best, dot(scores, state));
            }
        }
        assertTrue(best > Double.NEGATIVE_INFINITY, "no feasible state of size " + n + " exists");
        return best;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void outputIsANewArrayAndPassesTheAppsOutputCheck() {
        NDArray theta = randomTheta(6, 3);
        NDArray z = createSolver().solve(theta);
        assertTrue(z != theta && !z.getUid().equals(theta.getUid()), "the solver returned its input array itself");
        // the check every solver the app creates goes through (MapSolvers.checked)
        MapSolvers.checkOutput("under test", "the contract test", theta, z);
    }

    @Test
    void anEmptyBatchGivesAnEmptyResult() {
        Shape empty = new Shape(0).addAll(instanceShape());
        NDArray z = createSolver().solve(manager.create(new float[0], empty));
        assertEquals(empty, z.getShape(), "an empty batch");
        assertEquals(DataType.FLOAT32, z.getDataType(), "dtype");
    }

    @Test
    void sameInputGivesSameOutput() {
        MapSolver solver = createSolver();
        NDArray theta = randomTheta(3, 6);
        assertArrayEquals(
                solver.solve(theta).toFloatArray(), solver.solve(theta).toFloatArray());
    }

    @Test
    void inputIsNotModified() {
        NDArray theta = randomTheta(4, 4);
        float[] before = theta.toFloatArray();
        createSolver().solve(theta);
        assertArrayEquals(before, theta.toFloatArray());
    }

    @Test
    void nanScoresAreRejected() {
        assertBadValueRejected(Float.NaN, "NaN");
    }

    @Test
    void infiniteScoresAreRejected() {
        assertBadValueRejected(Float.POSITIVE_INFINITY, "Infinity");
        assertBadValueRejected(Float.NEGATIVE_INFINITY, "Infinity");
    }

    private void assertBadValueRejected(float bad, String expectedInMessage) {
        NDArray theta = randomTheta(5, 2);
        float[] values = theta.toFloatArray();
        values[values.length - 1] = bad;
        NDArray withBad = manager.create(values, theta.getShape());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> createSolver().solve(withBad));
        assertTrue(
                e.getMessage().contains(expectedInMessage),
                "message should name the bad value " + expectedInMessage + ": " + e.getMessage());
    }

    @Test
    void wrongRankIsRejected() {
        NDArray flat = manager.create(new float[Math.toIntExact(instanceShape().size())]);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> createSolver().solve(flat));
        assertTrue(
                e.getMessage().contains(flat.getShape().toString())
                        || e.getMessage().contains("rank")
                        || e.getMessage().contains("axes"),
                "message should name the shape or rank: " + e.getMessage());
    }

    @Test
    void wrongInstanceSizeIsRejected() {
        Shape shape = new Shape(2).addAll(wrongInstanceShape());
        NDArray theta = manager.randomNormal(shape);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> createSolver().solve(theta));
        assertTrue(e.getMessage().matches("(?s).*\\d.*"), "message should name the size: " + e.getMessage());
    }

    @Test
    void solveOnHostGivesTheStatesOfSolve() {
        MapSolver solver = createSolver();
        for (long seed = 11; seed < 14; seed++) {
            NDArray theta = randomTheta(seed, 7);
            float[] values = theta.toFloatArray();
            float[] before = values.clone();
            try (NDManager scratch = manager.newSubManager()) {
                float[] onHost = solver.solveOnHost(values, theta.getShape(), scratch);
                assertArrayEquals(solver.solve(theta).toFloatArray(), onHost, 0f, "seed " + seed);
                assertTrue(onHost != values, "solveOnHost returned its input array");
                assertEquals(0, scratch.getManagedArrays().size(), "arrays left on the scratch manager");
            }
            assertArrayEquals(before, values, 0f, "solveOnHost modified its input");
        }
    }

    @Test
    void solveOnHostRefusesWhatSolveRefuses() {
        MapSolver solver = createSolver();
        NDArray theta = randomTheta(5, 2);
        float[] values = theta.toFloatArray();
        values[values.length - 1] = Float.NaN;
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class, () -> solver.solveOnHost(values, theta.getShape(), manager));
        assertTrue(nan.getMessage().contains("NaN"), "message should name the bad value: " + nan.getMessage());
        Shape wrong = new Shape(2).addAll(wrongInstanceShape());
        IllegalArgumentException size = assertThrows(
                IllegalArgumentException.class,
                () -> solver.solveOnHost(new float[Math.toIntExact(wrong.size())], wrong, manager));
        assertTrue(size.getMessage().matches("(?s).*\\d.*"), "message should name the size: " + size.getMessage());
    }
}
