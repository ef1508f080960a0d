package dev.aimle.app.options;

import dev.aimle.app.io.StoreLocation;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags every experiment sweep takes, with one meaning everywhere. The defaults that differ
 * between experiments (batch size, learning rate, the λ grid, the methods, the output directory, the
 * solver) come from the experiment through picocli's default-value provider, so each command's
 * {@code --help} shows its own; {@code --quick} is the experiment's smoke run, and a flag given
 * explicitly wins over it ({@link #explicit}).
 */
public final class SweepOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Mixin
    private EngineThreadsOption engineThreads;

    @Mixin
    private SolverOptions solver;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "DIR",
            description = "Output directory, owned by this experiment (default: ${DEFAULT-VALUE}); with --master also a"
                    + " Hadoop FileSystem URI the executors share: file:/shared/..., hdfs://..., s3a://...")
    private String out;

    /** The working copy of a remote {@code --out}, once the sweep has opened it. */
    private Path workingCopy;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            description = "Runs at a time, each a single-threaded child process (default: the processors).")
    private Integer parallel;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Run the units on a cluster: spark://HOST:PORT, yarn, k8s://https://HOST:PORT or local[N]"
                    + " (needs Spark on the class path: README, Run a sweep on a cluster; --out on storage the"
                    + " executors share). Default: child processes here, --parallel at a time.")
    private String master;

    @Option(
            names = "--seeds",
            paramLabel = "N",
            description = "Seeds per configuration, 0..N-1 (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--quick", description = "A smoke run of about a minute (the command's description says which).")
    private boolean quick;

    @Mixin
    private ReportOnlyOption reportOnly;

    @Option(
            names = "--methods",
            split = ",",
            paramLabel = "M",
            description = "Methods (default: ${DEFAULT-VALUE}: the paper's; any other, e.g. AIMLE's"
                    + " calibrated preset where the experiment has it, runs only when named).")
    private List<String> methods;

    @Option(
            names = "--lambdas",
            split = ",",
            paramLabel = "L",
            description = "IMLE's λ grid, chosen by validation (default: ${DEFAULT-VALUE}).")
    private double[] lambdas;

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    /**
     * The output directory on this machine: {@code --out} (a {@code file:} URI as its path), or the
     * sweep's working copy of a remote store ({@link #useWorkingCopy}).
     *
     * @throws IllegalStateException for a remote store the sweep has not opened yet
     */
    public Path out() {
        if (workingCopy != null) {
            return workingCopy;
        }
        try {
            return StoreLocation.local(out);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("--out " + out + " is a remote store and has no working copy yet", e);
        }
    }

    /**
     * The data directory of an experiment that generates its data: {@code named} (its {@code --data},
     * only read), else {@code data} in {@code --out} ({@code data-quick} under {@code --quick}),
     * absolute.
     */
    public Path dataDirectory(Path named) {
        return (named != null ? named : out().resolve(quick ? "data-quick" : "data")).toAbsolutePath();
    }

    /** {@code --out} as given: a path or a URI ({@link StoreLocation}). */
    public String outLocation() {
        return out;
    }

    /** Makes {@link #out()} the working copy of the remote store {@code --out} names. */
    public void useWorkingCopy(Path copy) {
        this.workingCopy = copy;
    }

    /**
     * Runs at a time: {@code --parallel}, else the processors.
     *
     * @throws ParameterException unless between 1 and 64
     */
    public int parallel() {
        int workers = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (workers < 1 || workers > 64) {
            throw new ParameterException(spec.commandLine(), "--parallel (" + workers + ") must be between 1 and 64");
        }
        return workers;
    }

    /** The cluster's master URL ({@code --master}), or null for the process pool of this machine. */
    public String master() {
        return master;
    }

    /**
     * Seeds per configuration.
     *
     * @throws ParameterException unless between 1 and 1000
     */
    public int seeds() {
        if (seeds < 1 || seeds > 1000) {
            throw new ParameterException(spec.commandLine(), "--seeds (" + seeds + ") must be between 1 and 1000");
        }
        return seeds;
    }

    /** Whether {@code --quick} was given. */
    public boolean quick() {
        return quick;
    }

    /** Whether {@code --report-only} was given. */
    public boolean reportOnly() {
        return reportOnly.reportOnly();
    }

    /**
     * The methods asked for ({@code quickDefault} under {@code --quick} unless given), in order, each
     * once.
     *
     * @param parse an id to its method, throwing {@code IllegalArgumentException} naming the known ids
     * @throws ParameterException (bad usage) for an unknown id
     */
    public <M> Set<M> methods(List<String> quickDefault, Function<String, M> parse) {
        Set<M> chosen = new LinkedHashSet<>();
        try {
            for (String id : quick && !explicit("--methods") ? quickDefault : methods) {
                chosen.add(parse.apply(id));
            }
        } catch (IllegalArgumentException e) {
            throw usage("--methods: " + e.getMessage());
        }
        return chosen;
    }

    /** The λ grid ({@code quickDefault} under {@code --quick} unless given; null: the grid as given). */
    public double[] lambdas(double[] quickDefault) {
        return quick && !explicit("--lambdas") && quickDefault != null ? quickDefault : lambdas;
    }

    /** The batch size ({@code quickDefault} under {@code --quick} unless given; 0: the value as given). */
    public int batch(int quickDefault) {
        return quick && !explicit("--batch") && quickDefault > 0 ? quickDefault : batch;
    }

    /** The learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** The solver's options ({@code --solver}, {@code -P}, {@code --solver-timeout}, {@code --trust-solver}). */
    public SolverOptions solver() {
        return solver;
    }

    /** The engine threads option. */
    public EngineThreadsOption engineThreads() {
        return engineThreads;
    }

    /**
     * {@code quickValue} under {@code --quick} unless {@code option} was given, else {@code value}:
     * how an experiment's own flags follow {@code --quick}.
     */
    public <T> T quickOr(String option, T quickValue, T value) {
        return quick && !explicit(option) ? quickValue : value;
    }

    /** Whether {@code option} was given on the command line. */
    public boolean explicit(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** A usage error (exit code 2) of this command. */
    public ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
