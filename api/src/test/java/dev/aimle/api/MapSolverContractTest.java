package dev.aimle.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.contract.MapSolverContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MapSolver} must meet, written once in {@link MapSolverContract} (which
 * {@code aimle verify} runs too) and run here as JUnit tests. Extend it in your solver's tests (it is
 * published in the {@code aimle-api} test-jar) and implement {@link #createSolver()} and {@link
 * #wrongInstanceShape()}; the tests check shape, device, dtype, binary outputs, a new array (never
 * the input itself, as the output check {@link MapSolverContract#checkOutput} that the app applies to every call requires), an empty batch,
 * optimality against brute-force enumeration ({@link Enumeration}: the highest {@code <theta, z>}
 * for a maximising solver, the lowest for one whose {@link MapSolver#sense()} is {@code MINIMISE},
 * up to {@link Enumeration#asGood}'s tolerance), determinism, concurrent calls, clear errors on bad
 * input, and that {@link MapSolver#solveOnHost} gives the states of {@link MapSolver#solve} (the
 * default or the solver's own) and refuses what it refuses.
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
 * #seeds()} seeds; the seed is in every failure message.
 *
 * <p>Each test method asserts through {@link MapSolverContract}, whose {@code ContractViolation} is
 * an {@code AssertionError} naming the broken clause.
 */
public abstract class MapSolverContractTest extends ContractTestBase {

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
        return MapSolverContract.declaredInstanceShape(createSolver());
    }

    /** An instance shape (without the batch axis) this solver must reject. */
    protected abstract Shape wrongInstanceShape();

    /**
     * Whether a binary vector (row-major over {@link #instanceShape()}) is feasible. The default asks
     * the solver's {@link MapSolver#feasibleSet()}.
     */
    protected boolean isFeasible(float[] z) {
        if (declaredFeasibleSet == null) {
            declaredFeasibleSet = MapSolverContract.declaredFeasibleSet(createSolver());
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

    /** The checks over a new solver, with this test's hooks. */
    protected MapSolverContract contract() {
        return new MapSolverContract(createSolver(), "the contract test", manager) {
            @Override
            protected Shape instanceShape() {
                return MapSolverContractTest.this.instanceShape();
            }

            @Override
            protected boolean isFeasible(float[] z) {
                return MapSolverContractTest.this.isFeasible(z);
            }

            @Override
            protected ScoreDomain scoreDomain() {
                return MapSolverContractTest.this.scoreDomain();
            }

            @Override
            protected MapSolver.Sense sense() {
                return MapSolverContractTest.this.sense();
            }

            @Override
            protected float[] randomScores(long seed, int count) {
                return MapSolverContractTest.this.randomScores(seed, count);
            }

            @Override
            protected double bestObjective(float[] scores) {
                return MapSolverContractTest.this.bestObjective(scores);
            }
        };
    }

    /** {@link #wrongInstanceShape()} with a batch axis of 2. */
    private Shape wrongShape() {
        return new Shape(2).addAll(wrongInstanceShape());
    }

    @Test
    protected void outputHasShapeDeviceAndDtypeOfInput() {
        contract().outputHasShapeDeviceAndDtypeOfInput();
    }

    @Test
    protected void outputsAreBinaryAndFeasible() {
        contract().outputsAreBinaryAndFeasible();
    }

    @Test
    protected void solutionsAreOptimalAgainstEnumeration() {
        contract().solutionsAreOptimalAgainstEnumeration(seeds(), instancesPerSeed());
    }

    @Test
    protected void outputIsANewArrayAndPassesTheAppsOutputCheck() {
        contract().outputIsANewArrayAndPassesTheOutputCheck();
    }

    @Test
    protected void anEmptyBatchGivesAnEmptyResult() {
        contract().anEmptyBatchGivesAnEmptyResult();
    }

    @Test
    protected void sameInputGivesSameOutput() {
        contract().sameInputGivesSameOutput();
    }

    @Test
    protected void concurrentCallsAgreeWithSequentialOnes() throws InterruptedException {
        contract().concurrentCallsAgreeWithSequentialOnes();
    }

    @Test
    protected void inputIsNotModified() {
        contract().inputIsNotModified();
    }

    @Test
    protected void nanScoresAreRejected() {
        contract().badValueIsRejected(Float.NaN);
    }

    @Test
    protected void infiniteScoresAreRejected() {
        contract().badValueIsRejected(Float.POSITIVE_INFINITY);
        contract().badValueIsRejected(Float.NEGATIVE_INFINITY);
    }

    @Test
    protected void wrongRankIsRejected() {
        contract().wrongRankIsRejected();
    }

    @Test
    protected void wrongInstanceSizeIsRejected() {
        contract().wrongShapeIsRejected(wrongShape());
    }

    @Test
    protected void solveOnHostGivesTheStatesOfSolve() {
        contract().solveOnHostGivesTheStatesOfSolve();
    }

    @Test
    protected void solveOnHostRefusesWhatSolveRefuses() {
        contract().solveOnHostRefusesWhatSolveRefuses(wrongShape());
    }
}
