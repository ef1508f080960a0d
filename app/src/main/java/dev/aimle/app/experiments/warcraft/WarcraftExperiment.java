package dev.aimle.app.experiments.warcraft;

import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.Experiment;
import dev.aimle.app.harness.Method;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.TrainingSession;
import dev.aimle.app.options.SweepOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code aimle warcraft}: the paper's black-box solver experiment (its appendix; Pogancic et al.
 * 2020) on the harness. One run per (method, λ, seed) trains CombResNet18 to give the 12×12 vertex
 * costs whose shortest path (the shortest-path plugin, 8-neighbourhood) matches the true one ({@link
 * WarcraftSession}); the report is {@code summary.csv}, {@code results.md}, the curves and a figure
 * of test paths ({@link WarcraftReport}).
 */
public final class WarcraftExperiment implements Experiment<WarcraftSpec, WarcraftData.Splits> {
    /** The command and the experiment's name in run directories. */
    public static final String NAME = "warcraft";
    /** One row per epoch. */
    public static final String EPOCHS_CSV = "epochs.csv";
    /** The experiment's own columns of {@link #EPOCHS_CSV}; the training loop's follow. */
    private static final List<String> OWN_COLUMNS = List.of(
            "epoch",
            "step",
            "train_loss",
            "val_perfect_match",
            "val_cost_ratio",
            "val_cell_accuracy",
            "val_valid",
            "test_perfect_match",
            "test_cost_ratio",
            "test_cell_accuracy",
            "test_valid");

    /** Maps of the generated set (train, val, test) at the default budget and with --quick. */
    static final int[] DEFAULT_COUNTS = {1000, 200, 200};

    static final int[] QUICK_COUNTS = {40, 20, 20};
    /** The generator's seed: the generated set is the same in every output directory. */
    static final long DATA_SEED = 42;

    private final Options options = new Options();

    /** Warcraft's own flags. */
    static final class Options {
        @Option(
                names = "--data",
                paramLabel = "DIR",
                description = "Directory of the original {train,val,test}_{maps,vertex_weights,shortest_paths}.npy,"
                        + " only read (default: a Warcraft-like set generated in <out>/data: 1000/200/200 maps of"
                        + " 12x12; --quick: 40/20/20 in <out>/data-quick).")
        Path data;

        @Option(
                names = "--epochs",
                defaultValue = "10",
                description = "Epochs (default: ${DEFAULT-VALUE}, a budget for a 2-core CPU; the reference's: 50).")
        int epochs;

        @Option(
                names = "--train-limit",
                defaultValue = "1000",
                paramLabel = "N",
                description = "Train on the first N training maps, 0 for all (default: ${DEFAULT-VALUE}; the"
                        + " original has 10000).")
        int trainLimit;

        @Option(
                names = "--eval-limit",
                defaultValue = "200",
                paramLabel = "N",
                description = "Evaluate on the first N validation and N test maps, 0 for all (default:"
                        + " ${DEFAULT-VALUE}; the original has 1000 each).")
        int evalLimit;

        @Option(
                names = "--milestones",
                split = ",",
                paramLabel = "E",
                description = "Epochs after which Adam's step size is divided by 10 (default: 60%% and 80%% of"
                        + " --epochs, the reference's 30,40 of 50).")
        List<Integer> milestones;

        @Option(
                names = "--aimle-alpha0",
                defaultValue = "20",
                description =
                        "AIMLE's initial alpha, its lambda = alpha*||theta||/||dL/dz|| at the first step (default:"
                                + " ${DEFAULT-VALUE}, as the reference's Warcraft trainer, which starts its beta at lambda_val"
                                + " = 20; the paper's 0 is the other experiments' default).")
        double aimleAlpha0;

        @Option(
                names = "--aimle-target",
                defaultValue = "1",
                paramLabel = "C",
                description = "AIMLE's target c: the moving average of non-zero gradient entries it steers"
                        + " towards (default: ${DEFAULT-VALUE}, the paper's and the reference's).")
        double aimleTarget;

        @Option(
                names = "--aimle-target-unit",
                defaultValue = WarcraftSpec.DEFAULT_TARGET_UNIT,
                paramLabel = "UNIT",
                description = "What c counts non-zeros per: instance (a whole 12x12 path difference of a sample, as"
                        + " the reference), row or solver (default: ${DEFAULT-VALUE}). A path that changes flips at"
                        + " least 2 cells, so with c = 1 per instance alpha grows only while at least half of the"
                        + " samples' paths do not change.")
        String aimleTargetUnit;

        @Option(
                names = "--aimle-eta",
                defaultValue = "0.001",
                description = "AIMLE's step eta for alpha (default: ${DEFAULT-VALUE}, the paper's; the reference's"
                        + " trainer takes it from its command line).")
        double aimleEta;

        @Option(
                names = "--noise",
                defaultValue = "gumbel",
                description = "Noise of IMLE and AIMLE: gumbel, sum-of-gamma or none (default: ${DEFAULT-VALUE};"
                        + " DBB has none).")
        String noise;
    }

    private static final Descriptor<WarcraftSpec> DESCRIPTOR = new Descriptor<>(
            NAME,
            "The Warcraft shortest-path experiment (the paper's appendix; Pogancic et al. 2020): CombResNet18"
                    + " learns 12x12 vertex costs from 96x96 maps through a shortest-path solver (default shortest-path,"
                    + " 8-neighbourhood), Hamming loss, Adam 5e-4 with milestones, batch 70; one resumable run directory"
                    + " per (method, lambda, seed), then the table (perfect match, cost ratio, cell accuracy, valid"
                    + " paths; IMLE's lambda chosen on validation), curves and test paths. Default budget for a 2-core"
                    + " CPU: 10 epochs on 1000 generated training maps, 200 validation and 200 test maps (about 2"
                    + " minutes per run alone, 10 on a loaded machine). --quick: DBB and AIMLE central, 1 epoch on 40 maps, batch 20 (about a minute)."
                    + " 'aimle warcraft generate' writes a data set.",
            WarcraftSpec.class,
            EPOCHS_CSV,
            OWN_COLUMNS,
            Map.of(
                    "--batch", "70",
                    "--lr", "0.0005",
                    "--lambdas", "5,20,100",
                    "--solver", WarcraftSpec.DEFAULT_SOLVER,
                    "--methods", Method.paperIds(WarcraftMethod.class)));

    /** Every column of {@link #EPOCHS_CSV}, in CSV order. */
    public static final List<String> COLUMNS = DESCRIPTOR.columns();

    @Override
    public Descriptor<WarcraftSpec> descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object options() {
        return options;
    }

    @Override
    public List<Object> subcommands() {
        return List.of(new WarcraftGenerateCommand());
    }

    private Path dataDirectory(SweepOptions sweep) {
        return sweep.dataDirectory(options.data).normalize();
    }

    /** The sweep: every method, IMLE at every λ (DBB at its 20), every seed. */
    @Override
    public List<WarcraftSpec> grid(SweepOptions sweep) {
        Set<WarcraftMethod> chosen = sweep.methods(List.of("dbb", "aimle-central"), WarcraftMethod::parse);
        int epochs = sweep.quickOr("--epochs", 1, options.epochs);
        int trainLimit = sweep.quickOr("--train-limit", QUICK_COUNTS[0], options.trainLimit);
        int evalLimit = sweep.quickOr("--eval-limit", QUICK_COUNTS[1], options.evalLimit);
        int batch = sweep.batch(20);
        List<Integer> milestones = options.milestones != null
                ? options.milestones
                : List.of(Math.max(1, (int) Math.round(0.6 * epochs)), Math.max(1, (int) Math.round(0.8 * epochs)));
        String dataDir = dataDirectory(sweep).toString();
        List<WarcraftSpec> grid = new ArrayList<>();
        try {
            for (WarcraftMethod method : chosen) {
                double[] lambdas = method == WarcraftMethod.DBB
                        ? new double[] {20}
                        : method.usesLambda() ? sweep.lambdas(new double[] {20}) : new double[] {0};
                for (double lambda : lambdas) {
                    for (int seed = 0; seed < sweep.seeds(); seed++) {
                        WarcraftSpec base = WarcraftSpec.defaults(method, dataDir);
                        String noise = method == WarcraftMethod.DBB ? "none" : options.noise;
                        if (method.isAdaptive()) {
                            base = base.withAimle(
                                    options.aimleAlpha0,
                                    options.aimleEta,
                                    options.aimleTarget,
                                    options.aimleTargetUnit);
                        }
                        grid.add(base.withPerturbation(lambda, noise, base.temperature())
                                .withSchedule(sweep.learningRate(), milestones)
                                .withBudget(epochs, batch, trainLimit)
                                .withEvaluation(
                                        evalLimit,
                                        sweep.solver().name(WarcraftSpec.DEFAULT_SOLVER),
                                        sweep.solver().params())
                                .withSeed(seed));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw sweep.usage(e.getMessage());
        }
        if (grid.isEmpty()) {
            throw sweep.usage("the grid is empty: no method chosen");
        }
        return grid;
    }

    /**
     * Reads a named {@code --data} once (it is never written: a bad file is bad usage, named), or
     * generates the Warcraft-like set under the output directory when it is absent or too small.
     */
    @Override
    public void prepareData(List<WarcraftSpec> grid, SweepOptions sweep, PrintWriter log) throws IOException {
        Path dir = dataDirectory(sweep);
        if (options.data != null) {
            try {
                WarcraftData.load(dir);
            } catch (IOException e) {
                throw sweep.usage("--data " + options.data + ": " + e.getMessage());
            }
            return;
        }
        int[] counts = (sweep.quick() ? QUICK_COUNTS : DEFAULT_COUNTS).clone();
        int trainWanted = grid.stream().mapToInt(WarcraftSpec::trainLimit).max().orElse(0);
        int evalWanted = grid.stream().mapToInt(WarcraftSpec::evalLimit).max().orElse(0);
        counts[0] = trainWanted == 0 ? counts[0] : trainWanted;
        counts[1] = counts[2] = evalWanted == 0 ? counts[1] : evalWanted;
        if (present(dir, counts)) {
            return;
        }
        log.printf(
                Locale.ROOT,
                "warcraft: generating %d/%d/%d Warcraft-like 12x12 maps in %s%n",
                counts[0],
                counts[1],
                counts[2],
                dir);
        log.flush();
        // map i of a split does not depend on the counts, so a larger set extends a smaller one
        new WarcraftGenerator(12, 8, DATA_SEED)
                .write(dir, counts, Runtime.getRuntime().availableProcessors(), n -> {});
    }

    /** Whether {@code dir} holds the nine files with at least {@code counts} maps (a generated set of ours). */
    private static boolean present(Path dir, int[] counts) {
        for (int s = 0; s < counts.length; s++) {
            String split = WarcraftGenerator.SPLITS.get(s);
            if (!Files.isRegularFile(WarcraftData.mapsFile(dir, split))
                    || !Files.isRegularFile(WarcraftData.weightsFile(dir, split))
                    || !Files.isRegularFile(WarcraftData.pathsFile(dir, split))) {
                return false;
            }
        }
        try {
            WarcraftData.Splits data = WarcraftData.load(dir);
            return data.train().size() >= counts[0]
                    && data.val().size() >= counts[1]
                    && data.test().size() >= counts[2];
        } catch (IOException e) {
            return false; // a generated set that does not read is generated again
        }
    }

    @Override
    public WarcraftData.Splits data(WarcraftSpec spec) throws IOException {
        return WarcraftData.load(Path.of(spec.dataDir()));
    }

    @Override
    public TrainingSession session(Path dir, WarcraftSpec spec, WarcraftData.Splits data, MapSolver solver) {
        return new WarcraftSession(dir, spec, data, solver);
    }

    @Override
    public void report(Path out, List<RunUnit<WarcraftSpec>> runs, PrintWriter log) throws IOException {
        WarcraftReport.write(out, runs, log);
    }
}
