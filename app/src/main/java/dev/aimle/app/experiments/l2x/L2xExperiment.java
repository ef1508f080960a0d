package dev.aimle.app.experiments.l2x;

import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.Experiment;
import dev.aimle.app.harness.Method;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.TrainingSession;
import dev.aimle.app.options.SweepOptions;
import dev.aimle.app.report.RunGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * {@code aimle l2x}: the paper's learning-to-explain experiment (Table 1) on the harness. Every
 * (method, k, t, λ, seed) is a run ({@link L2xSession}); the report ({@link L2xReport}) covers every
 * run in {@code --out}, so that a second stage ({@code --chosen-only}) adds seeds to the first
 * stage's choices.
 */
public final class L2xExperiment implements Experiment<L2xSpec, L2xData> {
    /** The command and the experiment's name in run directories. */
    public static final String NAME = "l2x";
    /** One row per epoch. */
    public static final String EPOCHS_CSV = "epochs.csv";
    /** The experiment's own columns of {@link #EPOCHS_CSV}; the training loop's follow. */
    private static final List<String> OWN_COLUMNS =
            List.of("epoch", "step", "train_loss", "validation_mse", "test_mse", "subset_precision");

    private final Options options = new Options();

    /** The L2X's own flags. */
    static final class Options {
        @Option(
                names = "--k",
                split = ",",
                defaultValue = "5,10,15",
                description = "Subset sizes (default: ${DEFAULT-VALUE}).")
        int[] ks;

        @Option(
                names = "--temperatures",
                split = ",",
                defaultValue = "0.1,0.5,1,2",
                description =
                        "The temperature grid t, chosen per method and k by validation MSE (default: ${DEFAULT-VALUE}):"
                                + " the noise scale of the perturb-and-MAP methods, the softmax temperature of the"
                                + " relaxations.")
        double[] temperatures;

        @Option(
                names = "--imle-scale-gradient",
                description = "IMLE divides by lambda (default: no, as the reference's L2X).")
        boolean imleScaling;

        @Option(
                names = "--noise",
                defaultValue = "sog",
                description = "Perturbation of the perturb-and-MAP methods: sog (Sum-of-Gamma(k, 10), the reference"
                        + " code's default) or gumbel (default: ${DEFAULT-VALUE}).")
        String noise;

        @Option(
                names = "--chosen-only",
                description = "Run only the configuration each method and k has chosen so far (lowest validation MSE"
                        + " among the runs in --out), with --seeds seeds: the second stage after a one-seed grid.")
        boolean chosenOnly;

        @Option(
                names = "--epochs",
                defaultValue = "20",
                description = "Epochs (default: ${DEFAULT-VALUE}, the reference's).")
        int epochs;

        @Option(
                names = "--aspect",
                defaultValue = "aroma",
                description = "The rated aspect: appearance, aroma, palate, taste or its column 0-3 (default:"
                        + " ${DEFAULT-VALUE}).")
        String aspect;

        @Option(
                names = "--data",
                paramLabel = "DIR",
                description = "A directory of BeerAdvocate files (reviews.aspectN.train.txt,"
                        + " reviews.aspectN.heldout.txt, annotations.json, review+wiki.filtered.200.txt; .gz accepted)."
                        + " Default: the generated task.")
        Path data;

        @Option(
                names = "--max-length",
                description = "Tokens per review after padding or cutting (default: 350 with --data, the reference's;"
                        + " 200 for the generated beer task, the 95th percentile of its lengths; 64 for the planted"
                        + " one).")
        Integer maxLength;

        @Option(
                names = "--filters",
                defaultValue = "100",
                description = "The explainer's filters (default: ${DEFAULT-VALUE}, the reference's).")
        int filters;

        @Option(
                names = "--hidden",
                defaultValue = "250",
                description = "The predictor's hidden units (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(
                names = "--train-limit",
                defaultValue = "0",
                description = "Use only this many training reviews (default: all).")
        int trainLimit;

        @Option(
                names = "--task",
                defaultValue = "beer",
                description = "The generated task: beer (the real data's statistics) or planted (one planted sentence"
                        + " per aspect, the first stand-in) (default: ${DEFAULT-VALUE}).")
        String task;

        @Option(
                names = "--task-size",
                paramLabel = "TRAIN,HELDOUT,ANNOTATED,DIMS",
                split = ",",
                description = "Size of the generated task: training, held-out and annotated reviews, vector width"
                        + " (default: 20000,2000,994,50; --quick 400,200,100,50).")
        int[] taskSize;

        @Option(
                names = "--stats",
                description = "Print the generated task's statistics for --aspect (and the time to generate it) and"
                        + " stop.")
        boolean stats;

        @Option(
                names = "--write-data",
                paramLabel = "DIR",
                description = "Write the generated task in the BeerAdvocate file formats to DIR and stop.")
        Path writeData;
    }

    private static final Descriptor<L2xSpec> DESCRIPTOR = new Descriptor<>(
            NAME,
            "The learning-to-explain experiment (paper Table 1): k-subset rationales of review ratings, every"
                    + " method and temperature on the generated rationale task (default) or BeerAdvocate files (--data"
                    + " DIR), one resumable run directory per (method, k, t, lambda, seed), then Table 1. --quick: k = 10,"
                    + " AIMLE (C), IMLE (C) λ = 100, SoftSub at t = 1, 2 epochs on 400 training reviews, 16 filters."
                    + " The solver (default topk) is any k-subset solver; k goes to a topk solver by itself.",
            L2xSpec.class,
            EPOCHS_CSV,
            OWN_COLUMNS,
            Map.of(
                    "--batch", "40",
                    "--lr", "0.001",
                    "--lambdas", "10,100,1000",
                    "--solver", L2xSpec.DEFAULT_SOLVER,
                    "--methods", Method.paperIds(L2xMethod.class)));

    /** Every column of {@link #EPOCHS_CSV}, in CSV order. */
    public static final List<String> COLUMNS = DESCRIPTOR.columns();

    @Override
    public Descriptor<L2xSpec> descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object options() {
        return options;
    }

    @Override
    public boolean standalone(SweepOptions sweep, PrintWriter log) throws IOException {
        if (options.stats) {
            printStats(rationaleTask(sweep), aspect(sweep), log);
            return true;
        }
        if (options.writeData == null) {
            return false;
        }
        RationaleTask t = rationaleTask(sweep);
        t.write(options.writeData);
        log.printf(Locale.ROOT, "l2x: the generated task (%s) written to %s%n", t, options.writeData.toAbsolutePath());
        log.flush();
        return true;
    }

    private RationaleTask rationaleTask(SweepOptions sweep) {
        RationaleTask.Design design;
        try {
            design = RationaleTask.Design.parse(options.task);
        } catch (IllegalArgumentException e) {
            throw sweep.usage("--task: " + e.getMessage());
        }
        RationaleTask d = RationaleTask.DEFAULT;
        int[] size = options.taskSize != null
                ? options.taskSize
                : sweep.quick()
                        ? new int[] {400, 200, 100, d.dimensions()}
                        : new int[] {d.train(), d.heldout(), d.annotated(), d.dimensions()};
        if (size.length != 4) {
            throw sweep.usage("--task-size takes four numbers TRAIN,HELDOUT,ANNOTATED,DIMS, got " + size.length);
        }
        try {
            return new RationaleTask(design, size[0], size[1], size[2], size[3], d.seed());
        } catch (IllegalArgumentException e) {
            throw sweep.usage("--task-size: " + e.getMessage());
        }
    }

    private BeerAspect aspect(SweepOptions sweep) {
        try {
            return BeerAspect.parse(options.aspect);
        } catch (IllegalArgumentException e) {
            throw sweep.usage("--aspect: " + e.getMessage());
        }
    }

    /** {@code --stats}: one line per statistic, the aspect's correlations last. */
    private static void printStats(RationaleTask task, BeerAspect aspect, PrintWriter log) {
        long start = System.nanoTime();
        RationaleTask.Generated g = task.generate();
        double seconds = (System.nanoTime() - start) / 1e9;
        RationaleTask.Stats s = RationaleTask.stats(g, aspect);
        log.printf(Locale.ROOT, "task %s, aspect %s, seed %d%n", task.design().id(), aspect.id(), task.seed());
        log.printf(
                Locale.ROOT,
                "reviews: %d training, %d held-out, %d annotated (generated in %.1f s)%n",
                s.reviews()[0],
                s.reviews()[1],
                s.reviews()[2],
                seconds);
        log.printf(
                Locale.ROOT,
                "review length (annotated): mean %.1f, sd %.1f, 95th percentile %d tokens%n",
                s.meanLength(),
                s.sdLength(),
                s.p95Length());
        log.printf(
                Locale.ROOT,
                "rationale (annotated): mean %.1f tokens, %.1f %% of a review on average%n",
                s.meanRationale(),
                100 * s.meanShare());
        log.printf(
                Locale.ROOT,
                "vocabulary (training): %d words; in rationales: %d of one aspect only, %d shared%n",
                s.vocabulary(),
                s.ownWords(),
                s.sharedWords());
        log.printf(
                Locale.ROOT,
                "score (training): mean %.3f, variance x100 %.2f%n",
                s.scoreMean(),
                100 * s.scoreVariance());
        StringBuilder correlations = new StringBuilder();
        for (Map.Entry<BeerAspect, Double> e : s.correlations().entrySet()) {
            if (e.getKey() != aspect) {
                correlations.append(
                        String.format(Locale.ROOT, " %s %.2f", e.getKey().id(), e.getValue()));
            }
        }
        log.printf(Locale.ROOT, "correlation of the score with the other aspects' (training):%s%n", correlations);
        log.flush();
    }

    /** The sweep: every method, k and t, IMLE at every lambda, every seed (or the chosen ones only). */
    @Override
    public List<L2xSpec> grid(SweepOptions sweep) throws IOException {
        BeerAspect chosenAspect = aspect(sweep);
        Set<L2xMethod> chosen = sweep.methods(List.of("softsub", "imle-central", "aimle-central"), L2xMethod::parse);
        if (options.data != null && chosen.contains(L2xMethod.ORACLE)) {
            if (sweep.explicit("--methods")) {
                throw sweep.usage("--methods: the oracle needs every review's rationale, which only the generated task"
                        + " has, not --data " + options.data);
            }
            chosen.remove(L2xMethod.ORACLE);
        }
        RationaleTask task = rationaleTask(sweep);
        int[] kValues = sweep.quickOr("--k", new int[] {10}, options.ks);
        double[] ts = sweep.quickOr("--temperatures", new double[] {1}, options.temperatures);
        double[] ls = sweep.lambdas(new double[] {100});
        int epochCount = sweep.quickOr("--epochs", 2, options.epochs);
        int filterCount = sweep.quickOr("--filters", 16, options.filters);
        int length = options.maxLength != null
                ? options.maxLength
                : options.data != null ? 350 : task.design() == RationaleTask.Design.BEER ? 200 : 64;
        String dataName = options.data != null ? options.data.toAbsolutePath().toString() : L2xSpec.GENERATED;
        Set<String> allowed = options.chosenOnly ? chosenLabels(sweep.out()) : null;
        List<L2xSpec> grid = new ArrayList<>();
        for (int k : kValues) {
            for (L2xMethod method : chosen) {
                // a fixed explainer has no temperature: one run per seed, at t = 1
                for (double t : method.fixed() ? new double[] {1} : ts) {
                    for (double lambda : method.usesLambda() ? ls : new double[] {0}) {
                        for (int seed = 0; seed < sweep.seeds(); seed++) {
                            L2xSpec s = new L2xSpec(
                                    method,
                                    k,
                                    t,
                                    lambda,
                                    options.imleScaling,
                                    options.noise,
                                    seed,
                                    epochCount,
                                    sweep.batch(0),
                                    sweep.learningRate(),
                                    chosenAspect,
                                    dataName,
                                    task,
                                    length,
                                    options.hidden,
                                    filterCount,
                                    options.trainLimit,
                                    sweep.solver().name(L2xSpec.DEFAULT_SOLVER),
                                    sweep.solver().params());
                            if (allowed == null || allowed.contains(k + "|" + s.label())) {
                                grid.add(s);
                            }
                        }
                    }
                }
            }
        }
        if (grid.isEmpty() && options.chosenOnly) {
            throw sweep.usage(
                    "--chosen-only: no run in " + sweep.out() + " has finished an epoch yet; run the grid first");
        }
        return grid;
    }

    /** {@code k|label} of the configuration each method and k has chosen among the runs in --out. */
    private static Set<String> chosenLabels(Path out) throws IOException {
        Set<String> labels = new HashSet<>();
        for (Map.Entry<Integer, List<RunGroup<L2xSpec>>> e :
                L2xReport.chosen(L2xReport.groups(existingRuns(out))).entrySet()) {
            for (RunGroup<L2xSpec> g : e.getValue()) {
                labels.add(e.getKey() + "|" + g.first().label());
            }
        }
        return labels;
    }

    /** Fails early, naming what is missing, rather than in every child. */
    @Override
    public void prepareData(List<L2xSpec> grid, SweepOptions sweep, PrintWriter log) {
        if (options.data == null) {
            return;
        }
        BeerAspect a = BeerAspect.parse(options.aspect);
        for (String name : List.of(
                BeerAdvocateFiles.trainFile(a),
                BeerAdvocateFiles.heldoutFile(a),
                BeerAdvocateFiles.ANNOTATIONS,
                BeerAdvocateFiles.EMBEDDINGS)) {
            try {
                BeerAdvocateFiles.find(options.data, name);
            } catch (IllegalArgumentException e) {
                throw sweep.usage(e.getMessage());
            }
        }
    }

    @Override
    public L2xData data(L2xSpec spec) throws IOException {
        return L2xSession.data(spec);
    }

    @Override
    public TrainingSession session(Path dir, L2xSpec spec, L2xData data, MapSolver solver) {
        return new L2xSession(dir, spec, data, solver);
    }

    /** Every run in --out (a second stage adds seeds to the first stage's choices). */
    @Override
    public List<RunUnit<L2xSpec>> reportRuns(Path out, List<RunUnit<L2xSpec>> grid) throws IOException {
        return existingRuns(out);
    }

    @Override
    public void report(Path out, List<RunUnit<L2xSpec>> runs, PrintWriter log) throws IOException {
        L2xReport.write(out, runs, log);
    }

    /** Every run directory in --out, in the grid's order (k, method, lambda, t, seed). */
    private static List<RunUnit<L2xSpec>> existingRuns(Path out) throws IOException {
        List<RunUnit<L2xSpec>> existing = new ArrayList<>();
        if (Files.isDirectory(out)) {
            try (Stream<Path> dirs = Files.list(out)) {
                for (Path d : dirs.filter(p -> Files.exists(p.resolve(RunUnit.SPEC)))
                        .sorted()
                        .toList()) {
                    existing.add(RunUnit.open(d, NAME, L2xSpec.class, EPOCHS_CSV, COLUMNS));
                }
            }
        }
        existing.sort(Comparator.comparing((RunUnit<L2xSpec> r) -> r.spec().k())
                .thenComparing(r -> r.spec().method().ordinal())
                .thenComparing(r -> r.spec().lambda())
                .thenComparing(r -> r.spec().temperature())
                .thenComparing(r -> r.spec().seed()));
        return existing;
    }
}
