package dev.aimle.app.cli;

import ai.djl.ndarray.types.Shape;
import dev.aimle.api.Config;
import dev.aimle.api.ScoreDomain;
import dev.aimle.app.bench.Benchmark;
import dev.aimle.app.bench.BenchmarkContext;
import dev.aimle.app.bench.BenchmarkResult;
import dev.aimle.app.bench.ReferenceFigures;
import dev.aimle.app.bench.SolverBenchmark;
import dev.aimle.app.options.EngineThreadsOption;
import dev.aimle.app.options.Sizes;
import dev.aimle.app.options.SolverOptions;
import dev.aimle.app.plugins.Discovery;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle bench}: runs the registered benchmarks (all, or those named with {@code --only}) and
 * prints one table. A new benchmark is one more entry in {@link Benchmarks#all()}.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Run the benchmarks and print one table of timings (progress goes to stderr).",
            "Timings are wall-clock medians on this machine; they are figures, not assertions."
        })
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--only",
            paramLabel = "NAME",
            split = ",",
            description = "Run only these benchmarks (comma-separated); see --list.")
    private List<String> only = new ArrayList<>();

    @Option(names = "--list", description = "List the benchmarks and exit.")
    private boolean list;

    @Option(names = "--quick", description = "Small sizes and few repetitions: a smoke run.")
    private boolean quick;

    @Option(
            names = "--seed",
            paramLabel = "SEED",
            defaultValue = "42",
            description = "Seed of the random inputs (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--tsv", description = "Print the rows tab-separated, with a header line (for scripts).")
    private boolean tsv;

    @Option(
            names = "--reference",
            paramLabel = "FILE",
            description = "PyTorch reference medians written by scripts/bench-vs-reference: the estimator rows then"
                    + " print ours/reference, naming the file and when it was measured.")
    private Path reference;

    @Option(
            names = "--soak-steps",
            paramLabel = "N",
            defaultValue = "20000",
            description = "Training steps of the memory soak (--only soak; default: ${DEFAULT-VALUE}).")
    private int soakSteps;

    @CommandLine.Mixin
    private EngineThreadsOption engineThreads;

    @CommandLine.Mixin
    private SolverOptions solverOptions;

    @Option(
            names = "--shape",
            paramLabel = "B,D1,...",
            split = ",",
            description = "Input shape of the solver benchmark (default: 128,400 for top-k, else 128 instances of the"
                    + " shape the solver declares); --solver alone runs only it.")
    private List<Long> shape = new ArrayList<>();

    @Option(
            names = "--scores",
            paramLabel = "DOMAIN",
            description = "Domain of the solver benchmark's scores: real (N(0,1)) or non-negative (|N(0,1)|)"
                    + " (default: the one the solver declares).")
    private String scores;

    @Override
    public Integer call() {
        engineThreads.apply();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Benchmark> available = new LinkedHashMap<>();
        for (Benchmark b : Benchmarks.all(solverChoice())) {
            available.put(b.name(), b);
        }
        if (list) {
            TextTable table = TextTable.withoutHeader(2);
            available.values().forEach(b -> table.row(b.name(), b.description()));
            table.print(out, "");
            out.flush();
            return 0;
        }
        List<Benchmark> selected = new ArrayList<>();
        for (String name : only) {
            Benchmark b = available.get(name);
            if (b == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "unknown benchmark '" + name + "'; known: "
                                + (available.isEmpty() ? "none" : String.join(", ", available.keySet())));
            }
            selected.add(b);
        }
        if (selected.isEmpty() && (solverOptions.given() || !shape.isEmpty() || scores != null)) {
            selected.add(available.get("solver"));
        }
        if (selected.isEmpty()) {
            available.values().stream().filter(Benchmark::runsByDefault).forEach(selected::add);
        }
        if (soakSteps < 1) {
            throw new ParameterException(spec.commandLine(), "--soak-steps (" + soakSteps + ") must be at least 1");
        }
        ReferenceFigures figures = reference == null ? ReferenceFigures.none() : ReferenceFigures.read(reference);
        if (selected.isEmpty()) {
            throw new IllegalStateException("no benchmark is registered in this build");
        }
        List<BenchmarkResult> results = new ArrayList<>();
        try (Discovery discovery = root.discover(spec.commandLine())) {
            PrintWriter progress = spec.commandLine().getErr();
            // The figures depend on it (see scripts/malloc.sh), so every run says which it had.
            String tunables = System.getenv("GLIBC_TUNABLES");
            progress.println("bench: malloc settings: "
                    + (tunables == null || tunables.isEmpty() ? "glibc's defaults" : "GLIBC_TUNABLES=" + tunables)
                    + "; Java heap on transparent huge pages: "
                    + (ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+UseTransparentHugePages")
                            ? "yes"
                            : "no")
                    + "; PyTorch's tensors on transparent huge pages (THP_MEM_ALLOC_ENABLE): "
                    + ("1".equals(System.getenv("THP_MEM_ALLOC_ENABLE")) ? "yes" : "no"));
            for (Benchmark b : selected) {
                progress.println("bench: running " + b.name() + (quick ? " (quick)" : "") + " ...");
                progress.flush();
                results.addAll(b.run(new BenchmarkContext(discovery, seed, quick, progress, figures, soakSteps)));
            }
        }
        if (tsv) {
            printTsv(out, results);
        } else {
            print(out, results);
        }
        out.flush();
        return 0;
    }

    /** The solver, parameters, shape and guard of the solver benchmark. */
    private SolverBenchmark.Choice solverChoice() {
        SolverBenchmark.Choice defaults = SolverBenchmark.Choice.defaults();
        // the default shape belongs to the default solver; another solver's comes from its declaration
        Optional<Shape> s = solverOptions.given() ? Optional.empty() : defaults.shape();
        if (!shape.isEmpty()) {
            if (shape.size() < 2 || shape.stream().anyMatch(d -> d < 1)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--shape " + shape + " must have at least 2 axes [B, ...], each at least 1");
            }
            s = Optional.of(new Shape(shape.stream().mapToLong(Long::longValue).toArray()));
            long size = 1;
            for (long d : shape) {
                size = Sizes.product(size, d);
                if (size < 0) {
                    break;
                }
            }
            Sizes.requireFits(spec.commandLine(), "--shape " + s.get(), size, Float.BYTES, 4);
        }
        Optional<ScoreDomain> domain = Optional.empty();
        if (scores != null) {
            try {
                domain = Optional.of(ScoreDomain.fromConfigName(scores));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--scores: " + e.getMessage(), e);
            }
        }
        Config config = solverOptions.given() || !solverOptions.params().isEmpty()
                ? Config.of(solverOptions.params())
                : defaults.config();
        return new SolverBenchmark.Choice(
                solverOptions.name(defaults.name()), config, s, domain, solverOptions.guard());
    }

    /** The rows tab-separated, after a header line; the minimum is empty when not recorded. */
    static void printTsv(PrintWriter out, List<BenchmarkResult> results) {
        out.println("benchmark\tvariant\tsize\treps\tmedian ms\tmin ms\tnote");
        for (BenchmarkResult r : results) {
            out.println(String.join(
                    "\t",
                    r.benchmark(),
                    r.variant(),
                    r.size(),
                    Integer.toString(r.repetitions()),
                    String.format(Locale.ROOT, "%.4f", r.medianMillis()),
                    Double.isNaN(r.minMillis()) ? "" : String.format(Locale.ROOT, "%.4f", r.minMillis()),
                    r.note()));
        }
    }

    static void print(PrintWriter out, List<BenchmarkResult> results) {
        TextTable table = new TextTable("benchmark", "variant", "size", "reps", "median ms", "min ms", "note");
        for (BenchmarkResult r : results) {
            table.row(
                    r.benchmark(),
                    r.variant(),
                    r.size(),
                    Integer.toString(r.repetitions()),
                    String.format(Locale.ROOT, "%.3f", r.medianMillis()),
                    Double.isNaN(r.minMillis()) ? "-" : String.format(Locale.ROOT, "%.3f", r.minMillis()),
                    r.note());
        }
        table.print(out, "");
    }
}
