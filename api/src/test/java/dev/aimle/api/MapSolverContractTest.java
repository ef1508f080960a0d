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
 * (it is published in the {@code aimle-api} test-jar) and implement {@link #createSolver()} and
 * {@link #wrongInstanceShape()}; the tests check shape, device, dtype, binary outputs, a new array
 * (never the input itself, as the app's {@link MapSolvers#checkOutput} requires), an empty batch,
 * optimality against brute-force enumeration ({@link Enumeration}: the highest {@code <theta, z>}
 * for a maximising solver, the lowest for one whose {@link MapSolver#sense()} is {@code MINIMISE}),
 * determinism, clear errors on bad input, and that {@link MapSolver#solveOnHost} gives the states of
 * {@link MapSolver#solve} (the default or the solver's own) and refuses what it refuses.
 *
 * <p>What the solver declares is used unless overridden here: the instance shape ({@link
 * MapSolver#exampleInstanceShape()}, else override {@link #instanceShape()}), the feasible set
 * ({@link MapSolver#feasibleSet()}, else override {@link #isFeasible(float[])}) and the score domain
 * the random inputs come from ({@link MapSolver#scoreDomain()}; override {@link #scoreDomain()} or,
 * for another distribution, {@link #randomScores(long, int)}). Every check is a {@code protected}
 * method: override one to replace it (an override without {@code @Test} switches it off; say why in
 * your test), and {@link #bestObjective(float[])} to compute the optimum other than by enumeration.
 *
 * <p>Optimality is checked on {@link #instancesPerSeed()} random instances for each of {@link
 * #seeds()} seeds; the seed is in every failure message. Objective values are compared with an
 * absolute tolerance of {@code 1e-4} (float32 sums of at most 20 scores of order one).
 */
public abstract class MapSolverContractTest {
    /** Absolute tolerance on objective values. */
    protected static final double OBJECTIVE_TOLERANCE = 1e-4;

    /** The manager of the current test; closed after each test. */
    protected NDManager manager;

    // the solver's own feasible set and the shape it is asked about, looked up once per test
    private FeasibleSet declaredFeasibleSet;
    private Shape declaredInstanceShape;

    /** The solver under test. */
    protected abstract MapSolver createSolver();

    /**
     * A valid instance shape (without the batch axis) with at most {@link Enumeration#LIMIT}
     * entries, e.g. {@code [6]}. The default is the solver's {@link MapSolver#exampleInstanceShape()}.
     */
    protected Shape instanceShape() {
        return createSolver()
                .exampleInstanceShape()
                .orElseThrow(() ->
                        new IllegalStateException("solver '" + createSolver().name()
                                + "' declares no exampleInstanceShape(): override instanceShape() in the test"));
    }

    /** An instance shape (without the batch axis) this solver must reject. */
    protected abstract Shape wrongInstanceShape();

    /**
     * Whether a binary vector (row-major over {@link #instanceShape()}) is feasible. The default asks
     * the solver's {@link MapSolver#feasibleSet()}.
     */
    protected boolean isFeasible(float[] z) {
        if (declaredFeasibleSet == null) {
            MapSolver solver = createSolver();
            declaredFeasibleSet = solver.feasibleSet()
                    .orElseThrow(() -> new IllegalStateException("solver '" + solver.name()
                            + "' declares no feasibleSet(): override isFeasible(float[]) in the test"));
            declaredInstanceShape = instanceShape();
        }
        return declaredFeasibleSet.contains(z, declaredInstanceShape);
    }

    /** The domain of the random scores; the default is the solver's {@link MapSolver#scoreDomain()}. */
    protected ScoreDomain scoreDomain() {
        return createSolver().scoreDomain();
    }

    /** Whether the best state is the highest or the lowest; the default is the solver's {@link MapSolver#sense()}. */
    protected MapSolver.Sense sense() {
        return createSolver().sense();
    }

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

    /** {@code count} random scores from a generator seeded with {@code seed}, from {@link #scoreDomain()}. */
    protected float[] randomScores(long seed, int count) {
        return scoreDomain().draw(new SplittableRandom(seed), count);
    }

    /** Random scores {@code [batch, instanceShape]} from {@link #randomScores(long, int)}. */
    protected NDArray randomTheta(long seed, int batch) {
        Shape shape = new Shape(batch).addAll(instanceShape());
        return manager.create(randomScores(seed, Math.toIntExact(shape.size())), shape);
    }

    /**
     * The best objective over the feasible states of one instance ({@link #sense()}): by default by
     * enumerating every binary vector with {@link #isFeasible(float[])}.
     */
    protected double bestObjective(float[] scores) {
        return Enumeration.best((z, shape) -> isFeasible(z), scores, instanceShape(), sense());
    }

    @Test
    protected void outputHasShapeDeviceAndDtypeOfInput() {
        NDArray theta = randomTheta(1, 3);
        NDArray z = createSolver().solve(theta);
        assertEquals(theta.getShape(), z.getShape(), "shape");
        assertEquals(theta.getDevice(), z.getDevice(), "device");
        assertEquals(DataType.FLOAT32, z.getDataType(), "dtype");
    }

    @Test
    protected void outputsAreBinaryAndFeasible() {
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
    protected void solutionsAreOptimalAgainstEnumeration() {
        int n = Math.toIntExact(instanceShape().size());
        MapSolver solver = createSolver();
        for (long seed = 0; seed < seeds(); seed++) {
            NDArray theta = randomTheta(seed, instancesPerSeed());
            float[] scores = theta.toFloatArray();
            float[] z = solver.solve(theta).toFloatArray();
            for (int row = 0; row < instancesPerSeed(); row++) {
                float[] s = Arrays.copyOfRange(scores, row * n, (row + 1) * n);
                float[] state = Arrays.copyOfRange(z, row * n, (row + 1) * n);
                assertTrue(isFeasible(state), "seed " + seed + " row " + row + ": infeasible output");
                double best = bestObjective(s);
                double got = Enumeration.objective(s, state);
                assertEquals(
                        best,
                        got,
                        OBJECTIVE_TOLERANCE,
                        "seed " + seed + " row " + row
                                + ": objective of the solver's state vs the "
                                + (sense() == MapSolver.Sense.MINIMISE ? "lowest" : "highest")
                                + " of the feasible states");
            }
            theta.close();
        }
    }

    @Test
    protected void outputIsANewArrayAndPassesTheAppsOutputCheck() {
        NDArray theta = randomTheta(6, 3);
        NDArray z = createSolver().solve(theta);
        assertTrue(z != theta && !z.getUid().equals(theta.getUid()), "the solver returned its input array itself");
        // the check every solver the app creates goes through (MapSolvers.checked)
        MapSolvers.checkOutput("under test", "the contract test", theta, z);
    }

    @Test
    protected void anEmptyBatchGivesAnEmptyResult() {
        Shape empty = new Shape(0).addAll(instanceShape());
        NDArray z = createSolver().solve(manager.create(new float[0], empty));
        assertEquals(empty, z.getShape(), "an empty batch");
        assertEquals(DataType.FLOAT32, z.getDataType(), "dtype");
    }

    @Test
    protected void sameInputGivesSameOutput() {
        MapSolver solver = createSolver();
        NDArray theta = randomTheta(3, 6);
        assertArrayEquals(
                solver.solve(theta).toFloatArray(), solver.solve(theta).toFloatArray());
    }

    @Test
    protected void inputIsNotModified() {
        NDArray theta = randomTheta(4, 4);
        float[] before = theta.toFloatArray();
        createSolver().solve(theta);
        assertArrayEquals(before, theta.toFloatArray());
    }

    @Test
    protected void nanScoresAreRejected() {
        assertBadValueRejected(Float.NaN, "NaN");
    }

    @Test
    protected void infiniteScoresAreRejected() {
        assertBadValueRejected(Float.POSITIVE_INFINITY, "Infinity");
        assertBadValueRejected(Float.NEGATIVE_INFINITY, "Infinity");
    }

    /** Checks that a batch with {@code bad} as its last score is refused naming it. */
    protected void assertBadValueRejected(float bad, String expectedInMessage) {
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
    protected void wrongRankIsRejected() {
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
    protected void wrongInstanceSizeIsRejected() {
        Shape shape = new Shape(2).addAll(wrongInstanceShape());
        NDArray theta = manager.create(randomScores(9, Math.toIntExact(shape.size())), shape);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> createSolver().solve(theta));
        assertTrue(e.getMessage().matches("(?s).*\\d.*"), "message should name the size: " + e.getMessage());
    }

    @Test
    protected void solveOnHostGivesTheStatesOfSolve() {
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
    protected void solveOnHostRefusesWhatSolveRefuses() {
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
