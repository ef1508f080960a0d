package dev.aimle.app.experiments.nri;

import dev.aimle.app.cli.AimleCommand;
import dev.aimle.app.cli.EngineThreadsOption;
import dev.aimle.app.experiments.units.UnitDispatcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle nri}: the NRI experiment (paper Table 2). Every (method, T, lambda, seed) is a run in
 * its own directory under {@code --out}, trained in a child process ({@code aimle nri-unit DIR}),
 * {@code --parallel} at a time; a complete run is skipped, a stopped one resumes from its last
 * evaluation. Then the report: {@code summary.csv}, {@code results.md}, figures. {@code aimle nri
 * generate} writes the data set.
 */
@Command(
        name = "nri",
        mixinStandardHelpOptions = true,
        subcommands = NriGenerateCommand.class,
        description = "The NRI experiment (paper Table 2): latent spanning trees behind moving particles;"
                + " one resumable run directory per (method, T, lambda, seed), then Table 2 and figures."
                + " 'aimle nri generate' writes the data.")
public final class NriCommand implements Callable<Integer> {
    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineThreadsOption engineThreads;

    @Option(names = "--methods", split = ",", description = "Methods (default: all): " + "${COMPLETION-CANDIDATES}.")
    private List<String> methods;

    @Option(
            names = "--timesteps",
            split = ",",
            defaultValue = "10,20",
            description = "Trajectory lengths T (default: ${DEFAULT-VALUE}).")
    private int[] timesteps;

    @Option(
            names = "--lambdas",
            split = ",",
            defaultValue = "1,10,100",
            description = "IMLE's lambda grid, chosen by validation ELBO (default: ${DEFAULT-VALUE}).")
    private double[] lambdas;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            description = "Seeds per configuration, 0..N-1 (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(
            names = "--iterations",
            defaultValue = "50000",
            description = "Training steps (default: ${DEFAULT-VALUE}, the reference's).")
    private int iterations;

    @Option(
            names = "--eval-every",
            defaultValue = "500",
            description = "Steps between evaluations and checkpoints (default: ${DEFAULT-VALUE}).")
    private int evalEvery;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(
            names = "--lr",
            defaultValue = "0.0005",
            description = "Adam's initial learning rate, halved every 200 epochs (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(
            names = "--hidden",
            defaultValue = "256",
            description = "Hidden units of every layer (default: ${DEFAULT-VALUE}).")
    private int hidden;

    @Option(
            names = "--noise-temperature",
            defaultValue = "1.0",
            description = "Scale of the Sum-of-Gamma perturbation of IMLE, AIMLE and STE (default: ${DEFAULT-VALUE}).")
    private double noiseTemperature;

    @Option(
            names = "--sst-temperature",
            defaultValue = "0.1",
            description = "SST's relaxation temperature (default: ${DEFAULT-VALUE}).")
    private double sstTemperature;

    @Option(
            names = "--target",
            defaultValue = "0.5",
            description = "AIMLE's target c, non-zeros per tree of 45 undirected edges (default: ${DEFAULT-VALUE},"
                    + " the reference's c = 1 over 90 directed edges).")
    private double target;

    @Option(
            names = "--data",
            description = "Directory of the .npy files, only read (default: <out>/data, generated there if absent).")
    private Path data;

    @Option(
            names = "--train-limit",
            defaultValue = "0",
            description = "Train on only the first this many trajectories (default: all).")
    private int trainLimit;

    @Option(
            names = "--eval-limit",
            defaultValue = "0",
            description = "Evaluate on only the first this many validation and test trajectories (default: all).")
    private int evalLimit;

    @Option(names = "--out", defaultValue = "runs/nri", description = "Output directory (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--parallel", description = "Runs at a time, each single-threaded (default: the processors).")
    private Integer parallel;

    @Option(
            names = "--quick",
            description = "A smoke run of about a minute: T = 10, AIMLE central and STE, 40 steps of batch 32 with"
                    + " hidden 64 on a small generated set.")
    private boolean quick;

    @Option(
            names = "--report-only",
            description = "Write the report from the run directories as they are; train nothing.")
    private boolean reportOnly;

    @Override
    public Integer call() throws IOException, InterruptedException {
        engineThreads.apply();
        int workers = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (workers < 1 || workers > 64) {
            throw new ParameterException(spec.commandLine(), "--parallel (" + workers + ") must be between 1 and 64");
        }
        PrintWriter log = spec.commandLine().getOut();
        Path dataDir = dataDirectory();
        List<NriSpec> grid = grid(dataDir);
        if (data != null && !reportOnly) {
            for (int t : distinctTimesteps(grid)) {
                try {
                    NriData.requirePresent(dataDir, t);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
            }
        }
        Files.createDirectories(out);
        List<NriRun> runs = new ArrayList<>();
        for (NriSpec s : grid) {
            runs.add(NriRun.prepare(out.resolve(s.id()), s));
        }
        if (!reportOnly) {
            if (data == null) {
                for (int t : distinctTimesteps(grid)) {
                    NriData.ensurePresent(dataDir, t, quick, log);
                }
            }
            new UnitDispatcher(UnitDispatcher.childCommand(root.pluginsDirectory(), "nri-unit"), workers, log, 60)
                    .sweep(
                            "nri",
                            out,
                            runs.stream().map(NriRun::unit).toList(),
                            spec.commandLine().getParseResult().originalArgs());
        }
        NriReport.write(out, runs, log);
        return 0;
    }

    private Path dataDirectory() {
        return (data != null ? data : out.resolve(quick ? "data-quick" : "data")).toAbsolutePath();
    }

    private static int[] distinctTimesteps(List<NriSpec> grid) {
        return grid.stream().mapToInt(NriSpec::timesteps).distinct().toArray();
    }

    /** The sweep: every method at every T, IMLE at every lambda, every seed. */
    List<NriSpec> grid(Path dataDir) {
        if (seeds < 1 || seeds > 1000) {
            throw new ParameterException(spec.commandLine(), "--seeds (" + seeds + ") must be between 1 and 1000");
        }
        Set<NriMethod> chosen = new LinkedHashSet<>();
        List<String> names = methods != null
                ? methods
                : quick
                        ? List.of("aimle-central", "ste")
                        : NriExperiment.methods().stream().map(NriMethod::id).toList();
        try {
            for (String m : names) {
                chosen.add(NriMethod.parse(m));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--methods: " + e.getMessage());
        }
        int[] ts = quick && !explicit("--timesteps") ? new int[] {10} : timesteps;
        int steps = quick && !explicit("--iterations") ? 40 : iterations;
        int every = quick && !explicit("--eval-every") ? 20 : evalEvery;
        int batchSize = quick && !explicit("--batch") ? 32 : batch;
        int units = quick && !explicit("--hidden") ? 64 : hidden;
        List<NriSpec> grid = new ArrayList<>();
        try {
            for (int t : ts) {
                for (NriMethod method : chosen) {
                    for (double lambda : method.usesLambda() ? lambdas : new double[] {0}) {
                        for (int seed = 0; seed < seeds; seed++) {
                            grid.add(new NriSpec(
                                    method,
                                    t,
                                    lambda,
                                    target,
                                    noiseTemperature,
                                    sstTemperature,
                                    seed,
                                    steps,
                                    every,
                                    batchSize,
                                    learningRate,
                                    t >= 20 ? 10 : t - 1,
                                    units,
                                    5e-5,
                                    dataDir.toString(),
                                    trainLimit,
                                    evalLimit));
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return grid;
    }

    private boolean explicit(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
