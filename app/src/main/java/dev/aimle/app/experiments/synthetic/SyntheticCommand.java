package dev.aimle.app.experiments.synthetic;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aimle.api.Config;
import dev.aimle.app.harness.Host;
import dev.aimle.app.harness.RunEnvironment;
import dev.aimle.app.io.ResultsCsv;
import dev.aimle.app.io.RunConflictException;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.options.EngineThreadsOption;
import dev.aimle.app.options.ReportOnlyOption;
import dev.aimle.app.options.Sizes;
import dev.aimle.app.options.SolverOptions;
import dev.aimle.app.plugins.Discovery;
import dev.aimle.app.report.Charts;
import dev.aimle.app.report.Progress;
import dev.aimle.runtime.MapSolvers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code aimle synthetic}: the paper's synthetic gradient-fidelity experiment (AAAI-23, Fig. 1, 3
 * and 4) into a run directory: {@value #CSV} (every point, appended as it finishes),
 * {@value SyntheticReport#MARKDOWN}, PNG figures and {@value RunDirectory#RUN_JSON}. Started again
 * on the same directory with the same options, it computes only the missing points.
 *
 * <p>Why its points are not the harness's units ({@code dev.aimle.app.harness}): a unit is a
 * directory, a child JVM with its own engine and a checkpoint per row, which pays for itself when a
 * run trains for minutes. A synthetic point is a few milliseconds of estimator calls with nothing to
 * checkpoint (no parameters, no optimiser), and the default grid has 5,120 of them: as units they
 * would cost a JVM and engine start (about 2 s) and a directory each, some 3 hours of overhead for
 * a minute of work. So the points run in one process, on a pool of threads sharing the engine
 * ({@link SyntheticRunner}), and resume per point: each finished point is one appended CSV row, and
 * a row cut by a kill is dropped on resume ({@code ResultsCsv}); the directory is locked and owned
 * through {@code run.json} ({@code RunDirectory}), whose {@code experiment} is {@code synthetic}, so
 * the harness's sweeps refuse it as another experiment's.
 *
 * <p>Of the sweeps' shared flags it takes those that mean the same here: {@code -o/--out}, {@code
 * --quick}, {@code --seeds}, {@code --lambdas} (IMLE's λ grid), {@code --report-only} ({@link
 * ReportOnlyOption}), {@code --engine-threads}, {@code --solver}/{@code -P} and the solver's time
 * limit. Not {@code --parallel}, which counts a sweep's child processes: the points run on threads of
 * this process, counted by {@code --threads} as in {@code nri generate} and {@code warcraft generate}.
 */
@Command(
        name = "synthetic",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Gradient fidelity on the paper's synthetic problem (AAAI-23, Fig. 1, 3, 4): z one-hot in {0,1}^n,"
                    + " L = E||z - b||^2, cosine similarity of each estimator's gradient to the exact one.",
            "Fig. 3: cosine vs S for each n. Fig. 4/1: IMLE's cosine and %% zero entries vs lambda, with the"
                    + " other estimators as reference lines. Optional: AIMLE's warm-up study.",
            "Writes results.csv, results.md, PNG figures and run.json into --out and prints the tables."
                    + " Run again with the same options to resume an interrupted run.",
            "The defaults finish in about a minute on 2 CPU cores; the paper's full grid is"
                    + " --samples 1,10,100,1000,10000,100000 (roughly 40 to 60 minutes here)."
        })
public final class SyntheticCommand implements Callable<Integer> {
    /** The results file. */
    public static final String CSV = "results.csv";

    /** The PyTorch engine's intra-op thread count, read when the engine starts. */
    static final List<Integer> DEFAULT_SIZES = List.of(10, 20, 30, 50);

    static final List<Integer> DEFAULT_SAMPLES = List.of(1, 10, 100, 1000);
    static final List<Double> DEFAULT_LAMBDAS =
            List.of(0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0);
    static final List<Integer> DEFAULT_LAMBDA_SIZES = List.of(10, 50);
    static final int DEFAULT_SEEDS = 32;
    static final List<Integer> DEFAULT_WARMUP_STUDY = List.of(0, 100, 1000);

    static final List<Integer> QUICK_SIZES = List.of(10);
    static final List<Integer> QUICK_SAMPLES = List.of(1, 10, 100);
    static final List<Double> QUICK_LAMBDAS = List.of(0.0, 0.5, 1.0, 2.0, 5.0);
    static final int QUICK_SEEDS = 4;
    static final int QUICK_LAMBDA_SAMPLES = 100;

    @ParentCommand
    private Host root;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--n",
            paramLabel = "N",
            split = ",",
            description =
                    "Problem sizes n for Fig. 3, one panel each (default: 10,20,30,50, the paper's; --quick: 10).")
    private List<Integer> sizes;

    @Option(
            names = {"-S", "--samples"},
            paramLabel = "S",
            split = ",",
            description = "Sample counts S for Fig. 3 (default: 1,10,100,1000; --quick: 1,10,100; the paper adds"
                    + " 10000,100000).")
    private List<Integer> samples;

    @Option(
            names = "--estimators",
            paramLabel = "NAME",
            split = ",",
            description = "Estimators, any of: aimle-forward, aimle-central, aimle-calibrated-forward,"
                    + " aimle-calibrated-central, aimle-noise-scaled-forward, aimle-noise-scaled-central,"
                    + " imle-forward, imle-central, ste, sfe (default: all but AIMLE's presets, the paper's).")
    private List<String> estimators;

    @Option(
            names = "--imle-lambda",
            paramLabel = "LAMBDA",
            split = ",",
            description = "IMLE's fixed lambda in Fig. 3, one curve each (default: 1).")
    private List<Double> imleLambdas;

    @Option(
            names = "--lambdas",
            paramLabel = "LAMBDA",
            split = ",",
            description =
                    "IMLE lambdas swept for Fig. 4/1, or 'none' (default: 0,0.05,0.1,0.2,0.3,0.5,0.75,1,1.5,2,3,4,5;"
                            + " --quick: 0,0.5,1,2,5).")
    private List<String> lambdas;

    @Option(
            names = "--lambda-n",
            paramLabel = "N",
            split = ",",
            description = "Problem sizes n of the lambda sweep, one panel each (default: 10,50; --quick: 10; Fig. 1"
                    + " of the paper uses 50).")
    private List<Integer> lambdaSizes;

    @Option(
            names = "--lambda-samples",
            paramLabel = "S",
            description = "S of every estimator in the lambda sweep (default: 1000; --quick: 100).")
    private Integer lambdaSamples;

    @Option(
            names = "--seeds",
            paramLabel = "COUNT",
            description = "Seeds: seed i draws theta and b with seed i and the samples with seed 1000+i"
                    + " (default: 32; --quick: 4; the paper: 32, and 128 in Fig. 1).")
    private Integer seeds;

    @Option(
            names = "--warmup",
            paramLabel = "STEPS",
            description = "AIMLE warm-up steps on the same theta and b before the measured estimate (default: 100,"
                    + " the reference code's; each step costs as much as the estimate).")
    private Integer warmup;

    @Option(
            names = "--warmup-study",
            paramLabel = "STEPS",
            split = ",",
            description = "Also run AIMLE with each of these warm-up step counts at the smallest n, or 'none'"
                    + " (default: 0,100,1000; --quick: none).")
    private List<String> warmupStudy;

    @Option(
            names = "--warmup-samples",
            paramLabel = "S",
            split = ",",
            description = "Sample counts of the warm-up study (default: 1,10,100,1000).")
    private List<Integer> warmupSamples;

    @Option(
            names = "--b",
            paramLabel = "DIST",
            description = "Distribution of b: normal (the paper, N(0,I)) or abs (|N(0,I)|, the reference code)"
                    + " (default: normal).")
    private String bDistribution;

    @Option(names = "--noise", paramLabel = "NAME", description = "Perturbation noise (default: gumbel, the paper's).")
    private String noise;

    @Option(
            names = "--threads",
            paramLabel = "T",
            description = "Points computed in parallel (default: the number of processors); results do not depend"
                    + " on it, the seconds per point do (they share the cores).")
    private Integer threadsOption;

    private int threads;

    @CommandLine.Mixin
    private EngineThreadsOption engineThreads;

    @CommandLine.Mixin
    private SolverOptions solverOptions;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "DIR",
            description = "Run directory (default: runs/synthetic, or runs/synthetic-quick with --quick)."
                    + " An existing run there with the same options is resumed.")
    private Path out;

    @Option(
            names = "--quick",
            description = "A smoke run in seconds: n = 10, S = 1,10,100, 4 seeds, a short sweep, no warm-up study.")
    private boolean quick;

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            description = "Progress on stderr: auto (a bar on a terminal, else a line every 10 s), bar, lines, none"
                    + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "auto")
    private String progressMode;

    @CommandLine.Mixin
    private ReportOnlyOption reportOnly;

    @Option(
            names = "--max-points",
            hidden = true,
            paramLabel = "K",
            description = "Stop after computing K points (to test resuming).")
    private Long maxPoints;

    @Override
    public Integer call() {
        SyntheticConfig config = configuration();
        Progress.Mode mode = Progress.mode(progressMode, this::usage);
        threads = Sizes.threads(spec.commandLine(), threadsOption);
        if (maxPoints != null && maxPoints < 0) {
            throw usage("--max-points (" + maxPoints + ") must be at least 0");
        }
        requireSizesFit(config);
        engineThreads.apply();
        Path dir = out != null ? out : Path.of("runs", quick ? "synthetic-quick" : "synthetic");
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        ObjectNode configJson = (ObjectNode) RunDirectory.toTree(config.toMap());
        String solverName = solverOptions.name(SyntheticConfig.SOLVER);
        boolean topk = solverName.equals(SyntheticConfig.SOLVER) || solverName.endsWith(":" + SyntheticConfig.SOLVER);
        Map<String, Object> solverParams = new LinkedHashMap<>(solverOptions.params());
        if (topk) {
            if (solverParams.containsKey("k")) {
                throw usage(
                        "-P k=" + solverParams.get("k") + " is not taken: the synthetic problem is one-hot (k = 1)");
            }
            solverParams.put("k", 1);
        }
        MapSolvers.Guard guard = solverOptions.guard();
        if (solverOptions.given() || !solverOptions.params().isEmpty()) {
            // another solver is another experiment: resuming a run made with a different one is refused
            StringBuilder described = new StringBuilder(solverName);
            solverParams.forEach(
                    (k, v) -> described.append(' ').append(k).append('=').append(v));
            configJson.put("solver", described.toString());
        }
        if (reportOnly.reportOnly()) {
            return reportOnly(dir, config, configJson, stdout, err);
        }
        RunDirectory run;
        try {
            run = RunDirectory.open(dir, configJson, CSV);
        } catch (RunConflictException e) {
            throw usage(e.getMessage());
        }
        // Providers are checked before any result file is written, so a missing plugin or a bad
        // --noise leaves a directory that the next run simply starts afresh.
        try (run;
                Discovery discovery = root.discover(spec.commandLine())) {
            SyntheticRunner runner = new SyntheticRunner(
                    discovery.solvers(),
                    discovery.noises(),
                    discovery.estimators(),
                    config,
                    solverName,
                    Config.of(solverParams),
                    guard);
            String solverSource = discovery.solvers().entry(solverName).source();
            try {
                runner.checkProviders();
            } catch (SyntheticRunner.UnusableSolverException e) {
                throw usage(e.getMessage());
            }
            try (ResultsCsv csv = ResultsCsv.open(run.resolve(CSV), PointResult.COLUMNS)) {
                SyntheticPlan plan = SyntheticPlan.of(config);
                Map<PointKey, PointResult> results = readResults(csv.existingRows(), plan);
                if (csv.droppedPartialLine()) {
                    err.println("synthetic: dropped an incomplete last line of " + run.resolve(CSV)
                            + " (a row cut by a kill); that point is computed again");
                }
                List<PointKey> todo = plan.points().stream()
                        .filter(k -> !results.containsKey(k))
                        .toList();
                RunEnvironment environment;
                try (NDManager manager = NDManager.newBaseManager()) {
                    environment = RunEnvironment.current(manager.getDevice());
                }
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                ObjectNode runJson = runJson(run, configJson, config, plan, environment, solverSource, results.size());
                ObjectNode session = startSession(runJson, started, todo.size());
                run.writeRunJson(runJson);
                err.printf(
                        Locale.ROOT,
                        "synthetic: %s %s: %d points, %d done, %d to compute, %d thread%s%n",
                        run.resumed() ? "resuming" : "writing",
                        run.path(),
                        plan.points().size(),
                        results.size(),
                        todo.size(),
                        threads,
                        threads == 1 ? "" : "s");
                err.flush();
                Progress progress = new Progress(
                        err,
                        mode,
                        "synthetic",
                        todo.size(),
                        todo.stream().mapToDouble(PointKey::work).sum(),
                        10,
                        System::nanoTime);
                SyntheticRunner.Outcome outcome;
                try {
                    outcome = runner.run(
                            todo,
                            threads,
                            maxPoints == null ? Long.MAX_VALUE : maxPoints,
                            r -> {
                                List<String> row = r.toRow();
                                csv.append(row);
                                // as the CSV holds it (seconds rounded), so that --report-only writes these tables
                                results.put(r.key(), PointResult.fromRow(row));
                            },
                            k -> progress.advance(k.work()));
                } finally {
                    progress.finish();
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                boolean complete = results.keySet().containsAll(plan.points());
                if (complete) {
                    csv.rewrite(plan.points().stream()
                            .map(results::get)
                            .map(PointResult::toRow)
                            .toList());
                }
                SyntheticReport report =
                        new SyntheticReport(config, new ArrayList<>(results.values()), solverLabel(configJson));
                String markdown = report.markdown();
                run.writeText(SyntheticReport.MARKDOWN, markdown);
                Charts.preferHeadless();
                List<String> figures = report.writeFigures(run.path());
                finishSession(runJson, session, outcome.computed(), wall, complete, results.size());
                run.writeRunJson(runJson);
                stdout.print(markdown);
                stdout.flush();
                err.printf(
                        Locale.ROOT,
                        "synthetic: %d points computed in %.1f s; wrote %s, %s, %s%s in %s%n",
                        outcome.computed(),
                        wall,
                        CSV,
                        SyntheticReport.MARKDOWN,
                        String.join(", ", figures),
                        figures.isEmpty() ? "" : " and " + RunDirectory.RUN_JSON,
                        run.path());
                if (!complete) {
                    err.printf(
                            Locale.ROOT,
                            "synthetic: stopped with %d of %d points done%s; run the same command"
                                    + " again to resume%n",
                            results.size(),
                            plan.points().size(),
                            Thread.currentThread().isInterrupted() ? " (interrupted)" : " (--max-points)");
                }
                err.flush();
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted with " + results.size() + " of "
                            + plan.points().size() + " points done; run the same command again to resume");
                }
            }
        }
        return 0;
    }

    /** Heap per planned point: its key, its result row and its share of run.json, generously. */
    private static final int BYTES_PER_POINT = 512;

    /** Checks, before any work, that the plan and the largest point fit in memory and in int indexing. */
    private void requireSizesFit(SyntheticConfig c) {
        long lambdaMethods = c.methods().stream().filter(Method::usesLambda).count();
        long otherMethods = c.methods().size() - lambdaMethods;
        long groups = (long) c.sizes().size()
                        * c.samples().size()
                        * (lambdaMethods * c.imleLambdas().size() + otherMethods)
                + (c.hasLambdaSweep()
                        ? c.lambdaSizes().size() * (lambdaMethods * c.lambdas().size() + otherMethods)
                        : 0)
                + (c.hasWarmupStudy()
                        ? (long) c.adaptiveMethods().size()
                                * c.warmupStudy().size()
                                * c.warmupSamples().size()
                        : 0);
        Sizes.requireFits(
                spec.commandLine(),
                "the points planned (" + groups + " per seed x --seeds " + c.seeds() + ")",
                Sizes.product(groups, c.seeds()),
                BYTES_PER_POINT,
                1);
        long largestN = 0;
        long largestS = 0;
        long largest = 0;
        List<long[]> pairs = new ArrayList<>();
        for (int n : c.sizes()) {
            for (int s : c.samples()) {
                pairs.add(new long[] {n, s});
            }
        }
        if (c.hasLambdaSweep()) {
            c.lambdaSizes().forEach(n -> pairs.add(new long[] {n, c.lambdaSamples()}));
        }
        if (c.hasWarmupStudy()) {
            c.warmupSamples().forEach(s -> pairs.add(new long[] {c.warmupStudySize(), s}));
        }
        for (long[] p : pairs) {
            long product = Sizes.product(p[0], p[1]);
            if (product < 0 || product > largest) {
                largestN = p[0];
                largestS = p[1];
                largest = product < 0 ? Long.MAX_VALUE : product;
            }
        }
        // per thread: the noise drawn on the host and the estimate's host copies
        Sizes.requireFits(
                spec.commandLine(),
                "the largest point, n " + largestN + " x S " + largestS + " scores",
                largest == Long.MAX_VALUE ? -1 : largest,
                Float.BYTES,
                3 * threads);
    }

    /**
     * {@code --report-only}: {@value SyntheticReport#MARKDOWN} and the figures written again from
     * {@value #CSV} as it is (a run of the same options, finished or not, even one running now);
     * nothing is computed, and the run's files are neither locked nor changed.
     */
    private int reportOnly(
            Path dir, SyntheticConfig config, ObjectNode configJson, PrintWriter stdout, PrintWriter err) {
        try {
            RunDirectory.existing(dir, configJson, CSV);
        } catch (RunConflictException e) {
            throw usage(e.getMessage());
        }
        SyntheticPlan plan = SyntheticPlan.of(config);
        Map<PointKey, PointResult> results = readResults(ResultsCsv.read(dir.resolve(CSV), PointResult.COLUMNS), plan);
        SyntheticReport report =
                new SyntheticReport(config, new ArrayList<>(results.values()), solverLabel(configJson));
        String markdown = report.markdown();
        try {
            RunDirectory.writeAtomically(dir.resolve(SyntheticReport.MARKDOWN), markdown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(SyntheticReport.MARKDOWN), e);
        }
        Charts.preferHeadless();
        List<String> figures = report.writeFigures(dir);
        stdout.print(markdown);
        stdout.flush();
        err.printf(
                Locale.ROOT,
                "synthetic: report of %d of %d points; wrote %s%s in %s%n",
                results.size(),
                plan.points().size(),
                SyntheticReport.MARKDOWN,
                figures.isEmpty() ? "" : ", " + String.join(", ", figures),
                dir);
        err.flush();
        return 0;
    }

    /** The solver as the report names it: as given, or the default. */
    private static String solverLabel(ObjectNode configJson) {
        return configJson.has("solver") ? configJson.get("solver").asText() : SyntheticReport.DEFAULT_SOLVER;
    }

    private static Map<PointKey, PointResult> readResults(List<List<String>> rows, SyntheticPlan plan) {
        Map<PointKey, PointResult> results = new HashMap<>();
        Set<PointKey> planned = new HashSet<>(plan.points());
        for (List<String> row : rows) {
            PointResult r = PointResult.fromRow(row);
            if (planned.contains(r.key())) {
                results.putIfAbsent(r.key(), r);
            }
        }
        return results;
    }

    private ObjectNode runJson(
            RunDirectory run,
            ObjectNode configJson,
            SyntheticConfig config,
            SyntheticPlan plan,
            RunEnvironment environment,
            String solverSource,
            int done) {
        ObjectNode json = run.previousRunJson();
        ObjectNode fresh = RunDirectory.newObject();
        fresh.put("experiment", "synthetic");
        fresh.put("command", "aimle synthetic");
        fresh.set(RunDirectory.CONFIGURATION, configJson);
        Map<String, Object> seeds = new LinkedHashMap<>();
        List<Integer> problem = new ArrayList<>();
        List<Integer> sampling = new ArrayList<>();
        for (int i = 0; i < config.seeds(); i++) {
            problem.add(i);
            sampling.add(SyntheticConfig.SAMPLING_SEED_OFFSET + i);
        }
        seeds.put("problem", problem);
        seeds.put("sampling", sampling);
        seeds.put("rule", "seed i: theta and b from SplittableRandom(i), samples from SplittableRandom(1000 + i)");
        fresh.set("seeds", RunDirectory.toTree(seeds));
        RunDirectory.putAll(fresh, environment.toMap());
        fresh.put("solverSource", solverSource);
        fresh.put("engineThreads", EngineThreadsOption.current());
        ObjectNode points = RunDirectory.newObject();
        points.put("total", plan.points().size());
        points.put("done", done);
        fresh.set("points", points);
        fresh.put("status", "running");
        fresh.set(
                "sessions",
                json.has("sessions")
                        ? json.get("sessions").deepCopy()
                        : RunDirectory.newObject().arrayNode());
        fresh.put("wallSeconds", json.path("wallSeconds").asDouble(0));
        return fresh;
    }

    private ObjectNode startSession(ObjectNode runJson, Instant started, int todo) {
        ObjectNode session = ((ArrayNode) runJson.get("sessions")).addObject();
        session.put("started", started.toString());
        session.put("threads", threads);
        session.put("pointsToCompute", todo);
        if (maxPoints != null) {
            session.put("maxPoints", maxPoints);
        }
        return session;
    }

    private static void finishSession(
            ObjectNode runJson, ObjectNode session, int computed, double wall, boolean complete, int done) {
        session.put("finished", Instant.now().toString());
        session.put("pointsComputed", computed);
        session.put("wallSeconds", Math.round(wall * 1000) / 1000.0);
        runJson.put("wallSeconds", Math.round((runJson.path("wallSeconds").asDouble(0) + wall) * 1000) / 1000.0);
        ((ObjectNode) runJson.get("points")).put("done", done);
        runJson.put("status", complete ? "complete" : "incomplete");
    }

    /** The configuration from the flags: explicit values, else the --quick values, else the defaults. */
    SyntheticConfig configuration() {
        List<Method> methods = new ArrayList<>();
        if (estimators == null || estimators.isEmpty()) {
            methods.addAll(Method.paper());
        } else {
            for (String e : estimators) {
                try {
                    methods.add(Method.parse(e));
                } catch (IllegalArgumentException ex) {
                    throw usage("--estimators: " + ex.getMessage());
                }
            }
        }
        String b = bDistribution == null ? "normal" : bDistribution.strip().toLowerCase(Locale.ROOT);
        if (!b.equals("normal") && !b.equals("abs")) {
            throw usage("--b (" + bDistribution + ") must be 'normal' or 'abs'");
        }
        try {
            return new SyntheticConfig(
                    or(sizes, quick ? QUICK_SIZES : DEFAULT_SIZES),
                    or(samples, quick ? QUICK_SAMPLES : DEFAULT_SAMPLES),
                    methods,
                    or(imleLambdas, List.of(1.0)),
                    lambdas == null ? (quick ? QUICK_LAMBDAS : DEFAULT_LAMBDAS) : parseLambdas(lambdas),
                    or(lambdaSizes, quick ? QUICK_SIZES : DEFAULT_LAMBDA_SIZES),
                    lambdaSamples == null ? (quick ? QUICK_LAMBDA_SAMPLES : 1000) : lambdaSamples,
                    seeds == null ? (quick ? QUICK_SEEDS : DEFAULT_SEEDS) : seeds,
                    warmup == null ? 100 : warmup,
                    warmupStudy == null
                            ? (quick ? List.of() : DEFAULT_WARMUP_STUDY)
                            : parseCounts("--warmup-study", warmupStudy),
                    or(warmupSamples, List.of(1, 10, 100, 1000)),
                    b.equals("abs"),
                    noise == null ? "gumbel" : noise);
        } catch (IllegalArgumentException e) {
            throw usage(optionNames(e.getMessage()));
        }
    }

    /** Maps the configuration's names in a message to the flags. */
    private static String optionNames(String message) {
        return message.replaceFirst("^n \\(", "--n (")
                .replaceFirst("^samples \\(", "--samples (")
                .replaceFirst("^imle lambda \\(", "--imle-lambda (")
                .replaceFirst("^lambda \\(", "--lambdas (")
                .replaceFirst("^lambda n \\(", "--lambda-n (")
                .replaceFirst("^lambda samples \\(", "--lambda-samples (")
                .replaceFirst("^seeds \\(", "--seeds (")
                .replaceFirst("^warmup \\(", "--warmup (")
                .replaceFirst("^warmup study \\(", "--warmup-study (")
                .replaceFirst("^warmup samples \\(", "--warmup-samples (");
    }

    private static <T> List<T> or(List<T> value, List<T> fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private List<Double> parseLambdas(List<String> values) {
        if (values.size() == 1 && values.get(0).strip().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Double> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(Double.parseDouble(v.strip()));
            } catch (NumberFormatException e) {
                throw usage("--lambdas: '" + v + "' is not a number (or use --lambdas none)");
            }
        }
        return out;
    }

    private List<Integer> parseCounts(String option, List<String> values) {
        if (values.size() == 1 && values.get(0).strip().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(Integer.parseInt(v.strip()));
            } catch (NumberFormatException e) {
                throw usage(option + ": '" + v + "' is not a whole number (or use " + option + " none)");
            }
        }
        return out;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
