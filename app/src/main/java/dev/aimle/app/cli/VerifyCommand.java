package dev.aimle.app.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.Enumeration;
import dev.aimle.api.MapSolver;
import dev.aimle.api.MapSolverProvider;
import dev.aimle.api.ScoreDomain;
import dev.aimle.api.contract.ContractViolation;
import dev.aimle.api.contract.MapSolverContract;
import dev.aimle.app.options.Sizes;
import dev.aimle.app.options.SolverOptions;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.app.plugins.PluginLoader;
import dev.aimle.runtime.MapSolvers;
import dev.aimle.runtime.ProviderRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
        Shape instance = inputShape.slice(1);
        ScoreDomain domain = givenDomain != null ? givenDomain : solver.scoreDomain();
        List<Check> checks = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            // the published contract's checks (the test-jar's MapSolverContractTest runs the same ones)
            MapSolverContract contract = new MapSolverContract(solver, entry.source(), manager) {
                @Override
                protected Shape instanceShape() {
                    return instance;
                }

                @Override
                protected ScoreDomain scoreDomain() {
                    return domain;
                }

                @Override
                protected int batch() {
                    return Math.toIntExact(inputShape.get(0));
                }

                @Override
                protected long seed() {
                    return seed;
                }
            };
            if (!check(checks, label, "solves a " + domain.draws() + " batch " + inputShape, contract::solvesABatch)) {
                return checks;
            }
            check(
                    checks,
                    label,
                    "output: new float32 array, input's shape and device, values 0/1",
                    contract::outputIsANewArrayAndPassesTheOutputCheck);
            check(checks, label, "input left unmodified", contract::inputIsNotModified);
            check(checks, label, "deterministic", contract::sameInputGivesSameOutput);
            check(checks, label, "concurrent calls", contract::concurrentCallsAgreeWithSequentialOnes);
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
                check(
                        checks,
                        label,
                        bad + " refused with IllegalArgumentException",
                        () -> contract.badValueIsRejected(bad));
            }
            check(checks, label, "rank-1 input refused with IllegalArgumentException", contract::wrongRankIsRejected);
            if (wrongShape != null && !wrongShape.isEmpty()) {
                Shape wrong =
                        new Shape(wrongShape.stream().mapToLong(Long::longValue).toArray());
                check(
                        checks,
                        label,
                        "shape " + wrong + " refused with IllegalArgumentException",
                        () -> contract.wrongShapeIsRejected(wrong));
                check(
                        checks,
                        label,
                        "solveOnHost refuses NaN and shape " + wrong,
                        () -> contract.solveOnHostRefusesWhatSolveRefuses(wrong));
            }
            check(checks, label, "an empty batch gives an empty result", contract::anEmptyBatchGivesAnEmptyResult);
            check(checks, label, "solveOnHost gives the states of solve", contract::solveOnHostGivesTheStatesOfSolve);
            if (solver.feasibleSet().isEmpty()) {
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
                        () -> contract.solutionsAreOptimalAgainstEnumeration(1, INSTANCES));
            }
        }
        return checks;
    }

    /** A check's body: returns a detail, throws when the check fails. */
    @FunctionalInterface
    private interface Body {
        String run() throws Exception;
    }

    /** Runs one check and adds its row; whether it passed. */
    private static boolean check(List<Check> checks, String solver, String name, Body body) {
        try {
            checks.add(new Check(solver, name, true, body.run()));
            return true;
        } catch (ContractViolation e) {
            checks.add(new Check(solver, name, false, oneLine(e.getMessage())));
        } catch (Exception e) {
            // a check that throws fails with what it threw; verify goes on with the other checks
            String m = e.getMessage() == null ? "" : ": " + oneLine(e.getMessage());
            checks.add(new Check(solver, name, false, e.getClass().getSimpleName() + m));
        }
        return false;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ");
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
