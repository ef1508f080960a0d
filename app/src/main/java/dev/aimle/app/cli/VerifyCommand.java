package dev.aimle.app.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Enumeration;
import dev.aimle.api.FeasibleSet;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.MapSolvers;
import dev.aimle.api.ProviderRegistry;
import dev.aimle.api.ScoreDomain;
import dev.aimle.app.options.Sizes;
import dev.aimle.app.options.SolverOptions;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.app.plugins.PluginLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle verify <solver | plugin jar>}: the published contract checks that need no knowledge
 * of the problem, run on a discovered solver or on every solver of one plugin jar, and, when the
 * solver declares its feasible set ({@link MapSolver#feasibleSet()}), optimality against enumeration
 * on small instances ({@link Enumeration}, the same limit and the same {@link MapSolver#sense()} as
 * the contract test). Inputs have the shape and the score domain the solver declares ({@link
 * MapSolver#exampleInstanceShape()}, {@link MapSolver#scoreDomain()}) unless {@code --shape} and
 * {@code --scores} say otherwise. Prints a pass/fail table; exit 1 when a check fails.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check a solver (a name from 'aimle solvers') or every solver of a plugin jar against the MapSolver"
                    + " contract: output shape, float32, binary, a new array on the input's device, determinism,"
                    + " the input left unmodified, NaN/Inf and bad-rank errors, concurrent calls, an empty batch,"
                    + " and optimality by enumeration (the best for the solver's sense) when the solver declares"
                    + " its feasible set.",
            "Prints a pass/fail table; exit 1 when a check fails."
        })
final class VerifyCommand implements Callable<Integer> {
    private static final int INSTANCES = 20;

    /** The batch of the default shape. */
    static final int DEFAULT_BATCH = 4;

    /** The instance shape when neither --shape nor the solver gives one. */
    static final Shape FALLBACK_INSTANCE = new Shape(10);

    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "SOLVER|JAR",
            description = "A solver name (plain or <plugin-id>:<name>) or a plugin jar.")
    private String target;

    @Option(
            names = "--shape",
            paramLabel = "B,D1,...",
            split = ",",
            description = "Input shape [B, ...] of the checks (default: 4 instances of the shape the solver declares,"
                    + " else 4,10); the instance must suit the solver (e.g. 4,10 is a 5-node spanning tree).")
    private List<Long> shape;

    @Option(
            names = "--scores",
            paramLabel = "DOMAIN",
            description = "Domain of the random scores: real (N(0,1)) or non-negative (|N(0,1)|) (default: the one"
                    + " the solver declares).")
    private String scores;

    @Option(
            names = "--wrong-shape",
            paramLabel = "B,D1,...",
            split = ",",
            description = "Also check that input of this shape (one the solver must not accept) is refused with an"
                    + " IllegalArgumentException.")
    private List<Long> wrongShape;

    @Option(
            names = "--seed",
            paramLabel = "SEED",
            defaultValue = "42",
            description = "Seed of the inputs (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Mixin
    private SolverOptions solverOptions;

    /** One row of the table. */
    record Check(String solver, String check, boolean passed, String detail) {}

    @Override
    public Integer call() throws IOException {
        Shape inputShape = null;
        if (shape != null && !shape.isEmpty()) {
            if (shape.size() < 2 || shape.stream().anyMatch(d -> d < 1)) {
                throw new ParameterException(
                        spec.commandLine(), "--shape " + shape + " must have at least 2 axes, each at least 1");
            }
            inputShape = new Shape(shape.stream().mapToLong(Long::longValue).toArray());
            Sizes.requireFits(spec.commandLine(), "--shape " + inputShape, size(shape), Float.BYTES, 16);
        }
        if (wrongShape != null && !wrongShape.isEmpty()) {
            // a bad flag is the user's mistake (exit 2), never a failed check blamed on the solver
            if (wrongShape.stream().anyMatch(d -> d < 0)) {
                throw new ParameterException(
                        spec.commandLine(), "--wrong-shape " + wrongShape + " must have axes of at least 0 each");
            }
            long size = size(wrongShape);
            if (size < 0 || size > 1 << 24) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--wrong-shape " + wrongShape + " is too large for a check (" + (size < 0 ? "overflow" : size)
                                + " values, at most " + (1 << 24) + ")");
            }
        }
        ScoreDomain domain = null;
        if (scores != null) {
            try {
                domain = ScoreDomain.fromConfigName(scores);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--scores: " + e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Check> checks = new ArrayList<>();
        Path jar = Path.of(target);
        if (target.endsWith(".jar") || target.endsWith(".zip")) {
            if (!Files.isRegularFile(jar)) {
                throw new ParameterException(spec.commandLine(), "plugin " + jar.toAbsolutePath() + " is not a file");
            }
            Path dir = Files.createTempDirectory("aimle-verify");
            try {
                Files.copy(jar, dir.resolve(jar.getFileName()));
                try (Discovery discovery = PluginLoader.forApp().load(dir)) {
                    PrintWriter err = spec.commandLine().getErr();
                    discovery.onProblem(p -> {
                        err.println("warning: " + p.message());
                        err.flush();
                    });
                    List<ProviderRegistry.Entry<MapSolverProvider>> entries = discovery.solvers().entries().stream()
                            .filter(e -> !e.source().equals(ProviderRegistry.CLASSPATH))
                            .toList();
                    if (entries.isEmpty()) {
                        throw new IllegalStateException("plugin " + jar + " provides no usable map solver"
                                + (discovery.problems().isEmpty() ? "" : " (see the warnings above)"));
                    }
                    for (ProviderRegistry.Entry<MapSolverProvider> e : entries) {
                        checks.addAll(verify(discovery.solvers(), e.qualifiedName(), inputShape, domain));
                    }
                }
            } finally {
                deleteRecursively(dir);
            }
        } else {
            try (Discovery discovery = root.discover(spec.commandLine())) {
                checks.addAll(verify(discovery.solvers(), target, inputShape, domain));
            }
        }
        TextTable table = new TextTable("solver", "check", "result", "detail");
        for (Check c : checks) {
            table.row(
                    c.solver(),
                    c.check(),
                    !c.passed() ? "FAIL" : c.detail().startsWith("skipped:") ? "skip" : "pass",
                    c.detail());
        }
        table.print(out, "");
        long failed = checks.stream().filter(c -> !c.passed()).count();
        out.printf(Locale.ROOT, "%d checks, %d failed%n", checks.size(), failed);
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** The product of the axes, or -1 when it overflows a long. */
    private static long size(List<Long> axes) {
        long size = 1;
        for (long d : axes) {
            size = Sizes.product(size, d);
            if (size < 0) {
                return -1;
            }
        }
        return size;
    }

    private List<Check> verify(
            ProviderRegistry<MapSolverProvider> registry, String name, Shape givenShape, ScoreDomain givenDomain) {
        ProviderRegistry.Entry<MapSolverProvider> entry = registry.entry(name);
        // the time limit only (create and every call), so that a hanging solver fails a check instead
        // of hanging verify; the output is checked below, as a named check
        MapSolver solver;
        try {
            solver = MapSolvers.create(
                    registry,
                    entry.qualifiedName(),
                    Config.of(solverOptions.params()),
                    solverOptions.guard().trusted());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        String label = entry.qualifiedName();
        Shape inputShape = givenShape != null
                ? givenShape
                : new Shape(DEFAULT_BATCH).addAll(solver.exampleInstanceShape().orElse(FALLBACK_INSTANCE));
        ScoreDomain domain = givenDomain != null ? givenDomain : solver.scoreDomain();
        List<Check> checks = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] scores = domain.draw(random, (int) inputShape.size());
            NDArray theta = manager.create(scores, inputShape);
            NDArray[] first = new NDArray[1];
            check(checks, label, "solves a " + domain.draws() + " batch " + inputShape, () -> {
                first[0] = solver.solve(theta);
                return "";
            });
            if (first[0] == null) {
                return checks;
            }
            NDArray z = first[0];
            check(checks, label, "output: new float32 array, input's shape and device, values 0/1", () -> {
                MapSolvers.checkOutput(entry.name(), entry.source(), theta, z);
                return z.getShape() + " " + z.getDataType();
            });
            check(checks, label, "input left unmodified", () -> {
                require(Arrays.equals(scores, theta.toFloatArray()), "solve changed its input");
                return "";
            });
            check(checks, label, "deterministic", () -> {
                require(
                        Arrays.equals(values(z), values(solver.solve(theta))),
                        "a second call on the same input" + " gave another answer");
                return "";
            });
            check(
                    checks,
                    label,
                    "concurrent calls",
                    () -> concurrent(solver, manager, inputShape, domain, random.split()));
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
                check(checks, label, bad + " refused with IllegalArgumentException", () -> {
                    float[] copy = scores.clone();
                    copy[copy.length / 2] = bad;
                    return refused(solver, manager.create(copy, inputShape));
                });
            }
            check(
                    checks,
                    label,
                    "rank-1 input refused with IllegalArgumentException",
                    () -> refused(solver, manager.create(scores, new Shape(scores.length))));
            if (wrongShape != null && !wrongShape.isEmpty()) {
                Shape wrong =
                        new Shape(wrongShape.stream().mapToLong(Long::longValue).toArray());
                check(
                        checks,
                        label,
                        "shape " + wrong + " refused with IllegalArgumentException",
                        () -> refused(solver, manager.create(domain.draw(random, (int) wrong.size()), wrong)));
            }
            check(checks, label, "an empty batch gives an empty result", () -> {
                Shape empty = new Shape(0).addAll(inputShape.slice(1));
                NDArray result = solver.solve(manager.create(new float[0], empty));
                require(result.getShape().equals(empty), "returned shape " + result.getShape() + " for " + empty);
                return "";
            });
            Shape instance = inputShape.slice(1);
            Optional<FeasibleSet> feasible = solver.feasibleSet();
            if (feasible.isEmpty()) {
                checks.add(new Check(
                        label, "optimal against enumeration", true, "skipped: the solver declares no feasible set"));
            } else if (instance.size() > Enumeration.LIMIT) {
                checks.add(new Check(
                        label,
                        "optimal against enumeration",
                        true,
                        "skipped: instance size " + instance.size() + " > " + Enumeration.LIMIT));
            } else {
                check(
                        checks,
                        label,
                        "optimal against enumeration",
                        () -> optimal(solver, feasible.get(), manager, instance, domain, random.split()));
            }
        }
        return checks;
    }

    private static String concurrent(
            MapSolver solver, NDManager manager, Shape shape, ScoreDomain domain, SplittableRandom random)
            throws Exception {
        int threads = 4;
        List<NDArray> inputs = new ArrayList<>();
        List<float[]> sequential = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            NDArray in = manager.create(domain.draw(random, (int) shape.size()), shape);
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
                require(
                        Arrays.equals(sequential.get(t), futures.get(t).get()),
                        "call " + t + " of " + threads + " concurrent ones differs from the same call alone");
            }
        } finally {
            pool.shutdownNow();
        }
        return threads + " threads";
    }

    private static String refused(MapSolver solver, NDArray input) {
        try {
            solver.solve(input);
        } catch (IllegalArgumentException e) {
            return e.getMessage() == null ? "" : e.getMessage();
        }
        throw new CheckFailed("accepted " + input.getShape() + " input without an IllegalArgumentException");
    }

    private static String optimal(
            MapSolver solver,
            FeasibleSet feasible,
            NDManager manager,
            Shape instance,
            ScoreDomain domain,
            SplittableRandom random) {
        int n = (int) instance.size();
        MapSolver.Sense sense = solver.sense();
        String best = sense == MapSolver.Sense.MINIMISE ? "lowest" : "highest";
        float[] scores = domain.draw(random, INSTANCES * n);
        float[] z = values(solver.solve(manager.create(scores, new Shape(INSTANCES).addAll(instance))));
        for (int b = 0; b < INSTANCES; b++) {
            float[] theta = Arrays.copyOfRange(scores, b * n, (b + 1) * n);
            float[] answer = Arrays.copyOfRange(z, b * n, (b + 1) * n);
            require(feasible.contains(answer, instance), "instance " + b + ": the answer is not feasible");
            double optimum = Enumeration.best(feasible, theta, instance, sense);
            double got = Enumeration.objective(theta, answer);
            require(
                    Enumeration.asGood(got, optimum, sense),
                    String.format(
                            Locale.ROOT,
                            "instance %d: <theta, z> = %.6f but the %s feasible candidate scores %.6f (the solver %ss)",
                            b,
                            got,
                            best,
                            optimum,
                            sense.name().toLowerCase(Locale.ROOT)));
        }
        return INSTANCES + " instances of " + instance + ", 2^" + n + " candidates each, the " + best + " wins";
    }

    /** The values as float32, whatever the (possibly wrong) type the solver returned. */
    private static float[] values(NDArray a) {
        return a.getDataType() == DataType.FLOAT32
                ? a.toFloatArray()
                : a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** A check's body: returns a detail, throws when the check fails. */
    @FunctionalInterface
    private interface Body {
        String run() throws Exception;
    }

    private static void check(List<Check> checks, String solver, String name, Body body) {
        try {
            checks.add(new Check(solver, name, true, body.run()));
        } catch (CheckFailed e) {
            checks.add(new Check(solver, name, false, e.getMessage()));
        } catch (Exception e) {
            // a check that throws fails with what it threw; verify goes on with the other checks
            String m = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s*\\R\\s*", " ");
            checks.add(new Check(solver, name, false, e.getClass().getSimpleName() + m));
        }
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new CheckFailed(failure);
        }
    }

    /** A failed check. */
    private static final class CheckFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckFailed(String message) {
            super(message, null, false, false);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the scratch directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
