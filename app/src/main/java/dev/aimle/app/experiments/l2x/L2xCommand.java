package dev.aimle.app.experiments.l2x;

import dev.aimle.app.cli.AimleCommand;
import dev.aimle.app.harness.EngineThreadsOption;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.UnitDispatcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle l2x}: the paper's learning-to-explain experiment (Table 1) as a sweep of independent
 * runs, one directory and one child process ({@code aimle l2x-unit DIR}) each, {@code --parallel} at
 * a time; complete runs are skipped, stopped ones resume. At the end (and with {@code
 * --report-only}) the report is written from whatever the runs hold.
 */
@Command(
        name = "l2x",
        mixinStandardHelpOptions = true,
        description = "The learning-to-explain experiment (paper Table 1): k-subset rationales of review ratings,"
                + " every method and temperature on the generated rationale task (default) or BeerAdvocate files"
                + " (--data DIR), one resumable run directory per (method, k, t, lambda, seed), then Table 1.")
public final class L2xCommand implements Callable<Integer> {
    @ParentCommand
    private AimleCommand root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EngineThreadsOption engineThreads;

    @Option(
            names = "--methods",
            split = ",",
            description = "Methods (default: all): softsub, l2x, ste, imle-forward, imle-central, aimle-forward,"
                    + " aimle-central.")
    private List<String> methods;

    @Option(
            names = "--k",
            split = ",",
            defaultValue = "5,10,15",
            description = "Subset sizes (default: ${DEFAULT-VALUE}).")
    private int[] ks;

    @Option(
            names = "--temperatures",
            split = ",",
            defaultValue = "0.1,0.5,1,2",
            description =
                    "The temperature grid t, chosen per method and k by validation MSE (default: ${DEFAULT-VALUE}):"
                            + " the noise scale of the perturb-and-MAP methods, the softmax temperature of the relaxations.")
    private double[] temperatures;

    @Option(
            names = "--lambdas",
            split = ",",
            defaultValue = "10,100,1000",
            description = "IMLE's lambda grid, chosen by validation MSE (default: ${DEFAULT-VALUE}).")
    private double[] lambdas;

    @Option(names = "--imle-scaling", description = "IMLE divides by lambda (default: no, as the reference's L2X).")
    private boolean imleScaling;

    @Option(
            names = "--noise",
            defaultValue = "sog",
            description = "Perturbation of the perturb-and-MAP methods: sog (Sum-of-Gamma(k, 10), the reference code's"
                    + " default) or gumbel (default: ${DEFAULT-VALUE}).")
    private String noise;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            description = "Seeds per configuration, 0..N-1 (default: ${DEFAULT-VALUE}).")
    private int seeds;

    @Option(
            names = "--chosen-only",
            description = "Run only the configuration each method and k has chosen so far (lowest validation MSE among"
                    + " the runs in --out), with --seeds seeds: the second stage after a one-seed grid.")
    private boolean chosenOnly;

    @Option(
            names = "--epochs",
            defaultValue = "20",
            description = "Epochs (default: ${DEFAULT-VALUE}, the reference's).")
    private int epochs;

    @Option(names = "--batch", defaultValue = "40", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(
            names = "--aspect",
            defaultValue = "aroma",
            description =
                    "The rated aspect: appearance, aroma, palate, taste or its column 0-3 (default: ${DEFAULT-VALUE}).")
    private String aspect;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "A directory of BeerAdvocate files (reviews.aspectN.train.txt, reviews.aspectN.heldout.txt,"
                    + " annotations.json, review+wiki.filtered.200.txt; .gz accepted). Default: the generated task.")
    private Path data;

    @Option(
            names = "--max-length",
            description =
                    "Tokens per review after padding or cutting (default: 350 with --data, the reference's; 64 for"
                            + " the generated task).")
    private Integer maxLength;

    @Option(
            names = "--filters",
            defaultValue = "100",
            description = "The explainer's filters (default: ${DEFAULT-VALUE}, the reference's).")
    private int filters;

    @Option(
            names = "--hidden",
            defaultValue = "250",
            description = "The predictor's hidden units (default: ${DEFAULT-VALUE}).")
    private int hidden;

    @Option(
            names = "--train-limit",
            defaultValue = "0",
            description = "Use only this many training reviews (default: all).")
    private int trainLimit;

    @Option(
            names = "--task",
            paramLabel = "TRAIN,HELDOUT,ANNOTATED,DIMS",
            split = ",",
            description = "Size of the generated task: training, held-out and annotated reviews, vector width (default:"
                    + " 3000,800,400,50).")
    private int[] task;

    @Option(
            names = "--write-data",
            paramLabel = "DIR",
            description = "Write the generated task in the BeerAdvocate file formats to DIR and stop.")
    private Path writeData;

    @Option(names = "--out", defaultValue = "runs/l2x", description = "Output directory (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--parallel", description = "Runs at a time, each single-threaded (default: the processors).")
    private Integer parallel;

    @Option(
            names = "--quick",
            description = "A smoke run of about a minute: k = 10, AIMLE (C), IMLE (C) λ = 100, SoftSub at t = 1, 2"
                    + " epochs on 600 training reviews, 16 filters.")
    private boolean quick;

    @Option(
            names = "--report-only",
            description = "Write the report from the run directories as they are; train nothing.")
    private boolean reportOnly;

    @Override
    public Integer call() throws IOException, InterruptedException {
        engineThreads.apply();
        PrintWriter log = spec.commandLine().getOut();
        if (writeData != null) {
            RationaleTask t = rationaleTask();
            t.write(writeData);
            log.printf(Locale.ROOT, "l2x: the generated task (%s) written to %s%n", t, writeData.toAbsolutePath());
            log.flush();
            return 0;
        }
        List<L2xSpec> grid = grid();
        int workers = parallel != null ? parallel : Runtime.getRuntime().availableProcessors();
        if (workers < 1 || workers > 64) {
            throw new ParameterException(spec.commandLine(), "--parallel (" + workers + ") must be between 1 and 64");
        }
        List<L2xRun> runs = new ArrayList<>();
        Files.createDirectories(out);
        for (L2xSpec s : grid) {
            runs.add(L2xRun.prepare(out.resolve(s.id()), s));
        }
        if (!reportOnly) {
            if (data != null) {
                // fail early, naming what is missing, rather than in every child
                BeerAspect a = BeerAspect.parse(aspect);
                for (String name : List.of(
                        BeerAdvocateFiles.trainFile(a),
                        BeerAdvocateFiles.heldoutFile(a),
                        BeerAdvocateFiles.ANNOTATIONS,
                        BeerAdvocateFiles.EMBEDDINGS)) {
                    try {
                        BeerAdvocateFiles.find(data, name);
                    } catch (IllegalArgumentException e) {
                        throw new ParameterException(spec.commandLine(), e.getMessage());
                    }
                }
            }
            new UnitDispatcher(UnitDispatcher.childCommand(root.pluginsDirectory(), "l2x-unit"), workers, log, 60)
                    .sweep(
                            "l2x",
                            out,
                            runs.stream().map(L2xRun::unit).toList(),
                            spec.commandLine().getParseResult().originalArgs());
        }
        // the report covers every run in --out (a second stage adds seeds to the first stage's choices)
        L2xReport.write(out, existingRuns(), log);
        return 0;
    }

    private RationaleTask rationaleTask() {
        if (task == null) {
            return quick ? new RationaleTask(600, 400, 200, 50, RationaleTask.DEFAULT.seed()) : RationaleTask.DEFAULT;
        }
        if (task.length != 4) {
            throw new ParameterException(
                    spec.commandLine(), "--task takes four numbers TRAIN,HELDOUT,ANNOTATED,DIMS, got " + task.length);
        }
        try {
            return new RationaleTask(task[0], task[1], task[2], task[3], RationaleTask.DEFAULT.seed());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--task: " + e.getMessage());
        }
    }

    /** The sweep: every method, k and t, IMLE at every lambda, every seed (or the chosen ones only). */
    List<L2xSpec> grid() throws IOException {
        if (seeds < 1 || seeds > 1000) {
            throw new ParameterException(spec.commandLine(), "--seeds (" + seeds + ") must be between 1 and 1000");
        }
        BeerAspect chosenAspect;
        try {
            chosenAspect = BeerAspect.parse(aspect);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--aspect: " + e.getMessage());
        }
        Set<L2xMethod> chosen = new LinkedHashSet<>();
        if (methods == null) {
            chosen.addAll(
                    quick
                            ? List.of(L2xMethod.SOFTSUB, L2xMethod.IMLE_CENTRAL, L2xMethod.AIMLE_CENTRAL)
                            : List.of(L2xMethod.values()));
        } else {
            try {
                for (String m : methods) {
                    chosen.add(L2xMethod.parse(m));
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--methods: " + e.getMessage());
            }
        }
        int[] kValues = quick && !explicit("--k") ? new int[] {10} : ks;
        double[] ts = quick && !explicit("--temperatures") ? new double[] {1} : temperatures;
        double[] ls = quick && !explicit("--lambdas") ? new double[] {100} : lambdas;
        int epochCount = quick && !explicit("--epochs") ? 2 : epochs;
        int filterCount = quick && !explicit("--filters") ? 16 : filters;
        int length = maxLength != null ? maxLength : data != null ? 350 : 64;
        String dataName = data != null ? data.toAbsolutePath().toString() : L2xSpec.GENERATED;
        Set<String> allowed = chosenOnly ? chosenLabels() : null;
        List<L2xSpec> grid = new ArrayList<>();
        try {
            for (int k : kValues) {
                for (L2xMethod method : chosen) {
                    for (double t : ts) {
                        for (double lambda : method.usesLambda() ? ls : new double[] {0}) {
                            for (int seed = 0; seed < seeds; seed++) {
                                L2xSpec s = new L2xSpec(
                                        method,
                                        k,
                                        t,
                                        lambda,
                                        imleScaling,
                                        noise,
                                        seed,
                                        epochCount,
                                        batch,
                                        learningRate,
                                        chosenAspect,
                                        dataName,
                                        rationaleTask(),
                                        length,
                                        hidden,
                                        filterCount,
                                        trainLimit);
                                if (allowed == null || allowed.contains(k + "|" + s.label())) {
                                    grid.add(s);
                                }
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
                    spec.commandLine(),
                    chosenOnly
                            ? "--chosen-only: no run in " + out + " has finished an epoch yet; run the grid first"
                            : "the grid is empty");
        }
        return grid;
    }

    /** {@code k|label} of the configuration each method and k has chosen among the runs in --out. */
    private Set<String> chosenLabels() throws IOException {
        Set<String> labels = new HashSet<>();
        for (Map.Entry<Integer, List<L2xReport.Group>> e :
                L2xReport.chosen(L2xReport.groups(existingRuns())).entrySet()) {
            for (L2xReport.Group g : e.getValue()) {
                labels.add(e.getKey() + "|" + g.label());
            }
        }
        return labels;
    }

    /** Every run directory in --out, in the grid's order (method, k, t, lambda, seed as sorted by spec). */
    private List<L2xRun> existingRuns() throws IOException {
        List<L2xRun> existing = new ArrayList<>();
        if (Files.isDirectory(out)) {
            try (Stream<Path> dirs = Files.list(out)) {
                for (Path d : dirs.filter(p -> Files.exists(p.resolve(RunUnit.SPEC)))
                        .sorted()
                        .toList()) {
                    existing.add(L2xRun.open(d));
                }
            }
        }
        existing.sort(Comparator.comparing((L2xRun r) -> r.spec().k())
                .thenComparing(r -> r.spec().method().ordinal())
                .thenComparing(r -> r.spec().lambda())
                .thenComparing(r -> r.spec().temperature())
                .thenComparing(r -> r.spec().seed()));
        return existing;
    }

    private boolean explicit(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
