package dev.aimle.api.contract;

import static dev.aimle.api.contract.ContractViolation.require;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Enumeration;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.InvalidSolverOutputException;
import dev.aimle.api.MapSolver;
import dev.aimle.api.ScoreDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The contract of {@link MapSolver} (see its javadoc) as checks: shape, device and dtype of the
 * output, binary and feasible states, optimality against enumeration ({@link Enumeration}: the
 * highest {@code <theta, z>}, or the lowest for a {@link MapSolver.Sense#MINIMISE} solver), a new
 * array that passes the output check ({@link #checkOutput}, which the app applies to every call), an empty batch,
 * determinism, concurrent calls, an unmodified input, {@link IllegalArgumentException} on NaN/Inf,
 * a wrong rank or a wrong instance shape, and {@link MapSolver#solveOnHost} agreeing with {@link
 * MapSolver#solve}.
 *
 * <p>What the solver declares is used unless a subclass overrides the hook: the instance shape
 * ({@link MapSolver#exampleInstanceShape()}), the feasible set ({@link MapSolver#feasibleSet()}),
 * the score domain, the sense, the random scores and the optimum. Every check draws its inputs from
 * {@code seed() + a constant of its own}, and names the seed when it fails.
 */
public class MapSolverContract {
    private final MapSolver solver;
    private final String source;
    private final NDManager manager;

    /**
     * @param solver the solver under check
     * @param source where it came from, for messages ({@code classpath}, {@code id@version})
     * @param manager owns every array the checks create; the caller closes it
     */
    public MapSolverContract(MapSolver solver, String source, NDManager manager) {
        this.solver = Objects.requireNonNull(solver, "solver");
        this.source = Objects.requireNonNull(source, "source");
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    /** The shape the solver declares, or an explanation of what to do when it declares none. */
    public static Shape declaredInstanceShape(MapSolver solver) {
        return solver.exampleInstanceShape()
                .orElseThrow(() -> new IllegalStateException("solver '" + solver.name()
                        + "' declares no exampleInstanceShape(): override instanceShape() in the test"));
    }

    /** The feasible set the solver declares, or an explanation of what to do when it declares none. */
    public static FeasibleSet declaredFeasibleSet(MapSolver solver) {
        return solver.feasibleSet()
                .orElseThrow(() -> new IllegalStateException("solver '" + solver.name()
                        + "' declares no feasibleSet(): override isFeasible(float[]) in the test"));
    }

    /** One instance's shape, without the batch axis; at most {@link Enumeration#LIMIT} entries for optimality. */
    protected Shape instanceShape() {
        return declaredInstanceShape(solver);
    }

    /** Whether a binary state (row-major over {@link #instanceShape()}) is feasible. */
    protected boolean isFeasible(float[] z) {
        return declaredFeasibleSet(solver).contains(z, instanceShape());
    }

    /** Where the random scores come from. */
    protected ScoreDomain scoreDomain() {
        return solver.scoreDomain();
    }

    /** Whether the best state is the highest or the lowest. */
    protected MapSolver.Sense sense() {
        return solver.sense();
    }

    /** {@code count} random scores from a generator seeded with {@code seed}. */
    protected float[] randomScores(long seed, int count) {
        return scoreDomain().draw(new SplittableRandom(seed), count);
    }

    /** The best objective over the feasible states of one instance, by enumeration. */
    protected double bestObjective(float[] scores) {
        return Enumeration.best((z, shape) -> isFeasible(z), scores, instanceShape(), sense());
    }

    /** The batch size of the inputs. */
    protected int batch() {
        return 4;
    }

    /** The base of every check's seed. */
    protected long seed() {
        return 0;
    }

    /** Random scores {@code [batch, instanceShape]}. */
    protected NDArray randomTheta(long seed, int batch) {
        Shape shape = new Shape(batch).addAll(instanceShape());
        return manager.create(randomScores(seed, Math.toIntExact(shape.size())), shape);
    }

    private String who() {
        return "solver '" + solver.name() + "'";
    }

    /** The solver solves a batch of random scores at all. */
    public String solvesABatch() {
        NDArray theta = randomTheta(seed(), batch());
        solver.solve(theta);
        return "a " + scoreDomain().draws() + " batch " + theta.getShape() + ", seed " + seed();
    }

    /** The output has the input's shape and device and is float32. */
    public String outputHasShapeDeviceAndDtypeOfInput() {
        NDArray theta = randomTheta(seed() + 1, batch());
        NDArray z = solver.solve(theta);
        require(
                theta.getShape().equals(z.getShape()),
                who() + " returned shape " + z.getShape() + " for " + theta.getShape() + " (seed " + (seed() + 1)
                        + ")");
        require(
                theta.getDevice().equals(z.getDevice()),
                who() + " returned an array on " + z.getDevice() + " for input on " + theta.getDevice());
        require(DataType.FLOAT32 == z.getDataType(), who() + " returned " + z.getDataType() + ", not float32");
        return z.getShape() + " " + z.getDataType() + " on " + z.getDevice();
    }

    /** Every output value is 0 or 1 and every state is feasible. */
    public String outputsAreBinaryAndFeasible() {
        long seed = seed() + 2;
        float[] z = values(solver.solve(randomTheta(seed, batch())));
        int n = Math.toIntExact(instanceShape().size());
        for (int row = 0; row < batch(); row++) {
            float[] state = Arrays.copyOfRange(z, row * n, (row + 1) * n);
            for (float v : state) {
                require(
                        v == 0f || v == 1f,
                        "seed " + seed + " row " + row + ": output value " + v + " is not in {0, 1}");
            }
            require(
                    isFeasible(state),
                    "seed " + seed + " row " + row + ": the state is infeasible: " + Arrays.toString(state));
        }
        return batch() + " states";
    }

    /**
     * On {@code instancesPerSeed} random instances for each of {@code seeds} seeds, every state is
     * feasible and as good as the best feasible state ({@link Enumeration#asGood}).
     */
    public String solutionsAreOptimalAgainstEnumeration(int seeds, int instancesPerSeed) {
        int n = Math.toIntExact(instanceShape().size());
        if (n > Enumeration.LIMIT) {
            throw new IllegalArgumentException("instance size " + n + " of " + instanceShape() + " is more than the "
                    + Enumeration.LIMIT + " entries enumeration can check");
        }
        String best = sense() == MapSolver.Sense.MINIMISE ? "lowest" : "highest";
        for (long seed = seed() + 100; seed < seed() + 100 + seeds; seed++) {
            try (NDManager scope = manager.newSubManager()) {
                Shape shape = new Shape(instancesPerSeed).addAll(instanceShape());
                float[] scores = randomScores(seed, Math.toIntExact(shape.size()));
                float[] z = values(solver.solve(scope.create(scores, shape)));
                for (int row = 0; row < instancesPerSeed; row++) {
                    float[] s = Arrays.copyOfRange(scores, row * n, (row + 1) * n);
                    float[] state = Arrays.copyOfRange(z, row * n, (row + 1) * n);
                    require(isFeasible(state), "seed " + seed + " row " + row + ": the state is not feasible");
                    double optimum = bestObjective(s);
                    double got = Enumeration.objective(s, state);
                    require(
                            Enumeration.asGood(got, optimum, sense()),
                            String.format(
                                    Locale.ROOT,
                                    "seed %d row %d: <theta, z> = %.6f but the %s feasible candidate scores %.6f",
                                    seed,
                                    row,
                                    got,
                                    best,
                                    optimum));
                }
            }
        }
        return seeds * instancesPerSeed + " instances of " + instanceShape() + ", 2^" + n + " candidates each, the "
                + best + " wins";
    }

    /** The output is a new array that passes {@link #checkOutput}. */
    public String outputIsANewArrayAndPassesTheOutputCheck() {
        NDArray theta = randomTheta(seed() + 3, batch());
        NDArray z = solver.solve(theta);
        try {
            checkOutput(solver.name(), source, theta, z);
        } catch (InvalidSolverOutputException e) {
            throw new ContractViolation(e.getMessage());
        }
        return "new float32 array, input's shape and device, values 0/1";
    }

    /** A batch of no instances gives an empty float32 result of that shape. */
    public String anEmptyBatchGivesAnEmptyResult() {
        Shape empty = new Shape(0).addAll(instanceShape());
        NDArray z = solver.solve(manager.create(new float[0], empty));
        require(empty.equals(z.getShape()), who() + " returned shape " + z.getShape() + " for " + empty);
        require(DataType.FLOAT32 == z.getDataType(), who() + " returned " + z.getDataType() + " for an empty batch");
        return empty.toString();
    }

    /** The same input gives the same output. */
    public String sameInputGivesSameOutput() {
        long seed = seed() + 4;
        NDArray theta = randomTheta(seed, batch());
        require(
                Arrays.equals(values(solver.solve(theta)), values(solver.solve(theta))),
                "seed " + seed + ": a second call on the same input gave another answer");
        return "";
    }

    /** Calls from several threads at once give what the same calls give one after another. */
    public String concurrentCallsAgreeWithSequentialOnes() throws InterruptedException {
        int threads = 4;
        List<NDArray> inputs = new ArrayList<>();
        List<float[]> sequential = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            NDArray in = randomTheta(seed() + 10 + t, batch());
            inputs.add(in);
            sequential.add(values(solver.solve(in)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (NDArray in : inputs) {
                futures.add(pool.submit(() -> values(solver.solve(in))));
            }
            for (int t = 0; t < threads; t++) {
                float[] concurrent;
                try {
                    concurrent = futures.get(t).get();
                } catch (ExecutionException e) {
                    throw new ContractViolation(
                            "call " + t + " of " + threads + " concurrent ones threw " + e.getCause());
                }
                require(
                        Arrays.equals(sequential.get(t), concurrent),
                        "call " + t + " of " + threads + " concurrent ones (seed " + (seed() + 10 + t)
                                + ") differs from the same call alone");
            }
        } finally {
            pool.shutdownNow();
        }
        return threads + " threads";
    }

    /** The solver leaves its input unmodified. */
    public String inputIsNotModified() {
        NDArray theta = randomTheta(seed() + 5, batch());
        float[] before = theta.toFloatArray();
        solver.solve(theta);
        require(Arrays.equals(before, theta.toFloatArray()), who() + " modified its input (seed " + (seed() + 5) + ")");
        return "";
    }

    /** A batch with {@code bad} (NaN or an infinity) among its scores is refused naming the value. */
    public String badValueIsRejected(float bad) {
        NDArray theta = randomTheta(seed() + 6, batch());
        float[] values = theta.toFloatArray();
        values[values.length / 2] = bad;
        String message = refused(() -> solver.solve(manager.create(values, theta.getShape())), theta.getShape());
        String name = Float.isNaN(bad) ? "NaN" : "Infinity";
        require(message.contains(name), "the message should name the bad value " + name + ": " + message);
        return message;
    }

    /** An input without a batch axis is refused naming the shape or the rank. */
    public String wrongRankIsRejected() {
        NDArray flat = manager.create(new float[Math.toIntExact(instanceShape().size())]);
        String message = refused(() -> solver.solve(flat), flat.getShape());
        require(
                message.contains(flat.getShape().toString()) || message.contains("rank") || message.contains("axes"),
                "the message should name the shape or rank: " + message);
        return message;
    }

    /** An input of {@code wrong} shape (batch axis included), one the solver must not accept, is refused naming a size. */
    public String wrongShapeIsRejected(Shape wrong) {
        NDArray theta = manager.create(randomScores(seed() + 7, Math.toIntExact(wrong.size())), wrong);
        String message = refused(() -> solver.solve(theta), wrong);
        require(message.matches("(?s).*\\d.*"), "the message should name the size: " + message);
        return message;
    }

    /**
     * {@link MapSolver#solveOnHost} gives the states of {@link MapSolver#solve}, in a new array,
     * leaving its input and the scratch manager as they were.
     */
    public String solveOnHostGivesTheStatesOfSolve() {
        for (long seed = seed() + 20; seed < seed() + 23; seed++) {
            NDArray theta = randomTheta(seed, batch());
            float[] values = theta.toFloatArray();
            float[] before = values.clone();
            try (NDManager scratch = manager.newSubManager()) {
                float[] onHost = solver.solveOnHost(values, theta.getShape(), scratch);
                require(onHost != values, who() + " returned its input array from solveOnHost");
                require(
                        Arrays.equals(values(solver.solve(theta)), onHost),
                        "seed " + seed + ": solveOnHost and solve give different states");
                require(
                        scratch.getManagedArrays().isEmpty(),
                        "solveOnHost left " + scratch.getManagedArrays().size() + " arrays on the scratch manager");
            }
            require(Arrays.equals(before, values), "seed " + seed + ": solveOnHost modified its input");
        }
        return "3 batches";
    }

    /** {@link MapSolver#solveOnHost} refuses NaN and an input of {@code wrong} shape, as {@code solve} does. */
    public String solveOnHostRefusesWhatSolveRefuses(Shape wrong) {
        NDArray theta = randomTheta(seed() + 8, batch());
        float[] values = theta.toFloatArray();
        values[values.length - 1] = Float.NaN;
        String nan = refused(() -> solver.solveOnHost(values, theta.getShape(), manager), theta.getShape());
        require(nan.contains("NaN"), "solveOnHost: the message should name the bad value NaN: " + nan);
        String size =
                refused(() -> solver.solveOnHost(new float[Math.toIntExact(wrong.size())], wrong, manager), wrong);
        require(size.matches("(?s).*\\d.*"), "solveOnHost: the message should name the size: " + size);
        return "";
    }

    /**
     * The output clause of the contract, which the app also applies to every call of every solver it
     * creates: throws unless {@code z} is a float32 array of {@code theta}'s shape and
     * device, distinct from {@code theta}, with every value exactly 0 or 1. One device-side
     * reduction; {@code z} is copied to the host only to describe a failure.
     *
     * @param solverName the solver's name, for the message
     * @param source where it came from, for the message
     * @throws InvalidSolverOutputException naming the solver, its source and the violation
     */
    public static void checkOutput(String solverName, String source, NDArray theta, NDArray z) {
        String who = "solver '" + solverName + "' from " + source;
        if (z == null) {
            throw new InvalidSolverOutputException(
                    who + " returned null instead of an array of shape " + theta.getShape());
        }
        if (z == theta || z.getUid().equals(theta.getUid())) {
            throw new InvalidSolverOutputException(
                    who + " returned its input array itself; a solver must return a new array (the input"
                            + " belongs to the caller and must be left unmodified)");
        }
        if (!z.getShape().equals(theta.getShape())) {
            throw new InvalidSolverOutputException(who + " returned shape " + z.getShape() + " for input shape "
                    + theta.getShape() + "; the output must have the input's shape");
        }
        if (z.getDataType() != DataType.FLOAT32) {
            throw new InvalidSolverOutputException(
                    who + " returned " + z.getDataType() + " values; the output must be float32");
        }
        if (!z.getDevice().equals(theta.getDevice())) {
            throw new InvalidSolverOutputException(who + " returned an array on " + z.getDevice() + " for input on "
                    + theta.getDevice() + "; the output must be on the input's device");
        }
        long bad;
        try (NDArray notZero = z.neq(0f);
                NDArray notOne = z.neq(1f);
                NDArray neither = notZero.logicalAnd(notOne);
                NDArray count = neither.countNonzero()) {
            bad = count.toType(DataType.INT64, false).getLong();
        }
        if (bad > 0) {
            float[] values = z.toFloatArray();
            int first = 0;
            while (first < values.length && (values[first] == 0f || values[first] == 1f)) {
                first++;
            }
            throw new InvalidSolverOutputException(
                    notBinary(who, bad, values.length, values[first], first, z.getShape()));
        }
    }

    /**
     * {@link #checkOutput}'s checks for an answer of {@link MapSolver#solveOnHost}: new values, as
     * many as the input's, each exactly 0 or 1.
     *
     * @throws InvalidSolverOutputException naming the solver, its source and the violation
     */
    public static void checkHostOutput(String solverName, String source, float[] theta, Shape shape, float[] z) {
        String who = "solver '" + solverName + "' from " + source;
        if (z == null || z == theta) {
            throw new InvalidSolverOutputException(who + " returned " + (z == null ? "null" : "its input array")
                    + " from solveOnHost; a solver must return new values of shape " + shape);
        }
        if (z.length != theta.length) {
            throw new InvalidSolverOutputException(who + " returned " + z.length + " values for input shape " + shape
                    + " (" + theta.length + " values); the output must have the input's shape");
        }
        int bad = 0;
        int first = -1;
        for (int i = 0; i < z.length; i++) {
            if (z[i] != 0f && z[i] != 1f) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new InvalidSolverOutputException(notBinary(who, bad, z.length, z[first], first, shape));
        }
    }

    /** The message of an output with values other than 0 and 1, on either path. */
    private static String notBinary(String who, long bad, int size, float firstValue, int firstIndex, Shape shape) {
        return who + " returned " + bad + " of " + size + " values that are not exactly 0 or 1, the first " + firstValue
                + " at flat index " + firstIndex + " of shape " + shape + "; a MAP state is binary";
    }

    /** The message of the {@link IllegalArgumentException} the call throws; a violation when it throws none. */
    private String refused(Runnable call, Shape shape) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage() == null ? "" : e.getMessage();
        }
        throw new ContractViolation(who() + " accepted " + shape + " input without an IllegalArgumentException");
    }

    /** The values as float32, whatever the (possibly wrong) type the solver returned. */
    private static float[] values(NDArray a) {
        return a.getDataType() == DataType.FLOAT32
                ? a.toFloatArray()
                : a.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
