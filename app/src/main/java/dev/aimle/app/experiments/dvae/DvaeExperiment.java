package dev.aimle.app.experiments.dvae;

import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.Experiment;
import dev.aimle.app.harness.Method;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.TrainingSession;
import dev.aimle.app.options.SweepOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code aimle dvae}: the paper's discrete VAE experiment (Fig. 5-8) on the harness. One run per
 * (method, K, S, λ, seed) trains a VAE with 20 rows of 20 scores and a K-subset latent
 * ({@link DvaeSession}); the report is {@code summary.csv}, {@code results.md} and the figures
 * ({@link DvaeReport}).
 */
public final class DvaeExperiment implements Experiment<DvaeSpec, DvaeData> {
    /** The command and the experiment's name in run directories. */
    public static final String NAME = "dvae";
    /** One row per epoch. */
    public static final String EPOCHS_CSV = "epochs.csv";
    /** The experiment's own columns of {@link #EPOCHS_CSV}; the training loop's follow. */
    private static final List<String> OWN_COLUMNS =
            List.of("epoch", "step", "train_loss", "validation_loss", "test_loss", DvaeSession.SAMPLED_TEST_LOSS);

    private final Options options = new Options();

    /** The DVAE's own flags. */
    static final class Options {
        @Option(
                names = "--k",
                split = ",",
                defaultValue = "10,1",
                description = "Subset sizes K (default: ${DEFAULT-VALUE}).")
        int[] ks;

        @Option(
                names = "--aimle-samples",
                split = ",",
                defaultValue = "1",
                description =
                        "S for the AIMLE methods (default: ${DEFAULT-VALUE}; the paper's Fig. 8: 1,5,10). Other methods use S = 1.")
        int[] aimleSamples;

        @Option(
                names = "--imle-scale-gradient",
                description = "IMLE divides by lambda (default: no, as the reference DVAE).")
        boolean imleScaling;

        @Option(
                names = "--epochs",
                defaultValue = "100",
                description = "Epochs (default: ${DEFAULT-VALUE}, the paper's).")
        int epochs;

        @Option(
                names = "--data",
                paramLabel = "DIR",
                description = "Directory of the four IDX files (default: /usr/share/datasets/fashion-mnist).")
        Path data;

        @Option(
                names = "--calibrated-target",
                paramLabel = "C",
                split = ",",
                description = "Hold the calibrated preset's target fixed at C non-zeros per row instead of c(S),"
                        + " a run per C (default: c(S)); a study of the target, for the aimle-calibrated methods"
                        + " only.")
        double[] calibratedTargets;

        @Option(
                names = "--train-limit",
                defaultValue = "0",
                description = "Use only this many training images (default: all).")
        int trainLimit;
    }

    private static final Descriptor<DvaeSpec> DESCRIPTOR = new Descriptor<>(
            NAME,
            "The discrete VAE experiment (paper Fig. 5-8): every method on MNIST-format images, one resumable run"
                    + " directory per (method, K, S, lambda, seed), then tables and figures. --quick: K = 10, AIMLE"
                    + " central and STE, 1 epoch on 2,000 training images. The solver (default topk) is any k-subset"
                    + " solver, e.g. aimle-ilp:ilp with -P problem=FILE holding one 'exactly K' constraint per row of 20;"
                    + " K goes to a topk solver by itself.",
            DvaeSpec.class,
            EPOCHS_CSV,
            OWN_COLUMNS,
            Map.of(
                    "--batch", "100",
                    "--lr", "0.001",
                    "--lambdas", "1,10,100",
                    "--solver", DvaeSpec.DEFAULT_SOLVER,
                    "--methods", Method.paperIds(DvaeMethod.class)));

    /** Every column of {@link #EPOCHS_CSV}, in CSV order. */
    public static final List<String> COLUMNS = DESCRIPTOR.columns();

    @Override
    public Descriptor<DvaeSpec> descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object options() {
        return options;
    }

    private Path dataDir() {
        return (options.data != null ? options.data : DvaeData.DEBIAN_FASHION_MNIST).toAbsolutePath();
    }

    /** The sweep: every method and K, AIMLE at every S, IMLE at every lambda, every seed. */
    @Override
    public List<DvaeSpec> grid(SweepOptions sweep) {
        Set<DvaeMethod> chosen = sweep.methods(List.of("aimle-central", "ste"), DvaeMethod::parse);
        int[] kValues = sweep.quickOr("--k", new int[] {10}, options.ks);
        int epochCount = sweep.quickOr("--epochs", 1, options.epochs);
        int limit = sweep.quickOr("--train-limit", 2000, options.trainLimit);
        List<DvaeSpec> grid = new ArrayList<>();
        for (int k : kValues) {
            for (DvaeMethod method : chosen) {
                if (!method.supports(k)) {
                    continue;
                }
                boolean aimle = method == DvaeMethod.AIMLE_FORWARD || method == DvaeMethod.AIMLE_CENTRAL;
                for (int s : aimle ? options.aimleSamples : new int[] {1}) {
                    for (double lambda : method.usesLambda() ? sweep.lambdas(null) : new double[] {0}) {
                        for (Double target : targets(method)) {
                            for (int seed = 0; seed < sweep.seeds(); seed++) {
                                grid.add(new DvaeSpec(
                                        method,
                                        k,
                                        s,
                                        lambda,
                                        options.imleScaling,
                                        seed,
                                        epochCount,
                                        sweep.batch(0),
                                        sweep.learningRate(),
                                        dataDir().toString(),
                                        limit,
                                        sweep.solver().name(DvaeSpec.DEFAULT_SOLVER),
                                        sweep.solver().params(),
                                        target));
                            }
                        }
                    }
                }
            }
        }
        if (grid.isEmpty()) {
            throw sweep.usage("the grid is empty: no method applies to K " + Arrays.toString(kValues));
        }
        if (options.calibratedTargets != null
                && grid.stream().noneMatch(spec -> spec.method().beyondThePaper())) {
            throw sweep.usage("--calibrated-target (" + Arrays.toString(options.calibratedTargets)
                    + ") needs an aimle-calibrated method in --methods");
        }
        return grid;
    }

    /** The fixed targets of a calibrated method ({@code null}: c(S)); a single null for the other methods. */
    private List<Double> targets(DvaeMethod method) {
        if (!method.beyondThePaper() || options.calibratedTargets == null) {
            return Collections.singletonList(null);
        }
        return Arrays.stream(options.calibratedTargets).boxed().toList();
    }

    /** Fails early, with how to get the data, rather than in every child. */
    @Override
    public void checkData(List<DvaeSpec> grid, SweepOptions sweep) {
        try {
            DvaeData.checkPresent(dataDir());
        } catch (IOException e) {
            throw sweep.usage(e.getMessage());
        }
    }

    @Override
    public DvaeData data(DvaeSpec spec) throws IOException {
        return DvaeData.load(Path.of(spec.dataDir()), spec.trainLimit());
    }

    @Override
    public TrainingSession session(Path dir, DvaeSpec spec, DvaeData data, MapSolver solver) {
        return new DvaeSession(spec, data, solver);
    }

    @Override
    public void report(Path out, List<RunUnit<DvaeSpec>> runs, PrintWriter log) throws IOException {
        DvaeReport.write(out, runs, log);
    }
}
