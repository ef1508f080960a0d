package dev.aimle.app.experiments.dvae;

import dev.aimle.app.cli.AimleCommand;
import dev.aimle.app.cli.EngineThreadsOption;
import dev.aimle.app.experiments.units.UnitDispatcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * {@code aimle dvae}: the paper's discrete VAE experiment (Fig. 5-8) as a sweep of independent runs,
 * each in its own directory under {@code --out}, each a child process ({@code aimle dvae-unit DIR})
 * with one engine thread, {@code --parallel} at a time. A run that is complete is skipped; one that
 * was stopped resumes from its last epoch. At the end (and with {@code --report-only}) the report
 * is written from whatever the runs hold: {@code summary.csv}, {@code results.md} and the figures.
 */
@Command(
        name = "dvae",
        mixinStandardHelpOptions = true,
        description = "The discrete VAE experiment (paper Fig. 5-8): every method on MNIST-format images,"
                + " one resumable run directory per (method, K, S, lambda, seed), then tables and figures.")
public final class DvaeCommand implements Callable<Integer> {
    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineThreadsOption engineThreads;

    @Option(names = "--methods", split = ",", description = "Methods (default: all): ${COMPLETION-CANDIDATES}.")
    private List<String> methods;

    @Option(
            names = "--k",
            split = ",",
            defaultValue = "10,1",
            description = "Subset sizes K (default: ${DEFAULT-VALUE}).")
    private int[] ks;

    @Option(
            names = "--aimle-samples",
            split = ",",
            defaultValue = "1",
            description =
                    "S for the AIMLE methods (default: ${DEFAULT-VALUE}; the paper's Fig. 8: 1,5,10). Other methods use S = 1.")
    private int[] aimleSamples;

    @Option(
            names = "--lambdas",
            split = ",",
            defaultValue = "1,10,100",
            description = "IMLE's lambda grid, chosen per method by validation loss (default: ${DEFAULT-VALUE}).")
    private double[] lambdas;

    @Option(names = "--imle-scaling", description = "IMLE divides by lambda (default: no, as the reference DVAE).")
    private boolean imleScaling;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            description = "Seeds per configuration, 0..N-1 (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default: ${DEFAULT-VALUE}, the paper's).")
    private int epochs;

    @Option(names = "--batch", defaultValue = "100", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(
            names = "--data",
            description = "Directory of the four IDX files (default: /usr/share/datasets/fashion-mnist).")
    private Path data;

    @Option(
            names = "--train-limit",
            defaultValue = "0",
            description = "Use only this many training images (default: all).")
    private int trainLimit;

    @Option(names = "--out", defaultValue = "runs/dvae", description = "Output directory (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--parallel", description = "Runs at a time, each single-threaded (default: the processors).")
    private Integer parallel;

    @Option(
            names = "--quick",
            description = "A smoke run of about a minute: K = 10, AIMLE central and STE,"
                    + " 1 epoch on 2,000 training images.")
    private boolean quick;

    @Option(
            names = "--solver",
            paramLabel = "NAME",
            defaultValue = DvaeSpec.DEFAULT_SOLVER,
            description = "The k-subset MAP solver (default: ${DEFAULT-VALUE}), e.g. aimle-ilp:ilp with -P problem=FILE"
                    + " holding one 'exactly K' constraint per row of 20; recorded in each run's spec.")
    private String solverName;

    @Option(
            names = {"-P", "--param"},
            paramLabel = "KEY=VALUE",
            description = "Solver parameter, repeatable; K goes to a topk solver by itself.")
    private Map<String, String> solverParams = new LinkedHashMap<>();

    @Option(
            names = "--report-only",
            description = "Write the report from the run directories as they are; train nothing.")
    private boolean reportOnly;

    @Override
    public Integer call() throws IOException, InterruptedException {
        engineThreads.apply();
        List<DvaeSpec> grid = grid();
        Path dataDir = (data != null ? data : DvaeData.DEBIAN_FASHION_MNIST).toAbsolutePath();
        int workers = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (workers < 1 || workers > 64) {
            throw new ParameterException(spec.commandLine(), "--parallel (" + workers + ") must be between 1 and 64");
        }
        if (!reportOnly) {
            // fail early, with how to get the data, rather than in every child
            try {
                DvaeData.checkPresent(dataDir);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        PrintWriter log = spec.commandLine().getOut();
        List<DvaeRun> runs = new ArrayList<>();
        Files.createDirectories(out);
        for (DvaeSpec s : grid) {
            runs.add(DvaeRun.prepare(out.resolve(s.id()), s));
        }
        if (!reportOnly) {
            new UnitDispatcher(UnitDispatcher.childCommand(root.pluginsDirectory(), "dvae-unit"), workers, log, 60)
                    .sweep(
                            "dvae",
                            out,
                            runs.stream().map(DvaeRun::unit).toList(),
                            spec.commandLine().getParseResult().originalArgs());
        }
        DvaeReport.write(out, runs, log);
        return 0;
    }

    /** The sweep: every method and K, AIMLE at every S, IMLE at every lambda, every seed. */
    List<DvaeSpec> grid() {
        if (seeds < 1 || seeds > 1000) {
            throw new ParameterException(spec.commandLine(), "--seeds (" + seeds + ") must be between 1 and 1000");
        }
        Set<DvaeMethod> chosen = new LinkedHashSet<>();
        List<String> names = methods != null
                ? methods
                : quick
                        ? List.of("aimle-central", "ste")
                        : List.of(DvaeMethod.ids().split(", "));
        try {
            for (String m : names) {
                chosen.add(DvaeMethod.parse(m));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--methods: " + e.getMessage());
        }
        int[] kValues = quick && !explicit("--k") ? new int[] {10} : ks;
        int epochCount = quick && !explicit("--epochs") ? 1 : epochs;
        int limit = quick && !explicit("--train-limit") ? 2000 : trainLimit;
        Path dataDir = (data != null ? data : DvaeData.DEBIAN_FASHION_MNIST).toAbsolutePath();
        List<DvaeSpec> grid = new ArrayList<>();
        try {
            for (int k : kValues) {
                for (DvaeMethod method : chosen) {
                    if (!method.supports(k)) {
                        continue;
                    }
                    boolean aimle = method == DvaeMethod.AIMLE_FORWARD || method == DvaeMethod.AIMLE_CENTRAL;
                    for (int s : aimle ? aimleSamples : new int[] {1}) {
                        for (double lambda : method.usesLambda() ? lambdas : new double[] {0}) {
                            for (int seed = 0; seed < seeds; seed++) {
                                grid.add(new DvaeSpec(
                                        method,
                                        k,
                                        s,
                                        lambda,
                                        imleScaling,
                                        seed,
                                        epochCount,
                                        batch,
                                        learningRate,
                                        dataDir.toString(),
                                        limit,
                                        solverName,
                                        solverParams));
                            }
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (grid.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(), "the grid is empty: no method applies to K " + List.of(kValues));
        }
        return grid;
    }

    private boolean explicit(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
