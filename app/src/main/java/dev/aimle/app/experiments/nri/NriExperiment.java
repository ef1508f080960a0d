package dev.aimle.app.experiments.nri;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.Experiment;
import dev.aimle.app.harness.Method;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.harness.TrainingSession;
import dev.aimle.app.options.SweepOptions;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.noise.Noise;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code aimle nri}: the NRI experiment (paper Table 2) on the harness. Every (method, T, λ, seed) is
 * a run ({@link NriSession}); the report is Table 2 and figures ({@link NriReport}); {@code aimle nri
 * generate} writes the data set. Its settings and model assembly are shared by the runs and the
 * bench. The defaults are the reference's (EdinburghNLP/torch-adaptive-imle, {@code cli/nri-cli.py}
 * and the commands of its best runs): batch 128, hidden 256, variance 5e-5, Adam at 5e-4 halved
 * every 200 epochs, an evaluation every 500 steps, 50,000 steps, 9 prediction steps at T = 10 and
 * 10 at T = 20, Sum-of-Gamma noise (k = 10 vertices, 10 terms) at temperature 1, SST at temperature
 * 0.1 with Gumbel noise.
 */
public final class NriExperiment implements Experiment<NriSpec, NriData> {
    /** The command and the experiment's name in run directories. */
    public static final String NAME = "nri";
    /** The reference's training steps. */
    public static final int REFERENCE_ITERATIONS = 50_000;
    /** One row per evaluation. */
    public static final String CSV = "evaluations.csv";
    /** The experiment's own columns of {@link #CSV}; the training loop's follow. */
    private static final List<String> OWN_COLUMNS = List.of(
            "step",
            "train_loss",
            "valid_elbo",
            "valid_precision",
            "valid_recall",
            "test_elbo",
            "test_precision",
            "test_recall",
            NriSession.SAMPLED_PRECISION,
            NriSession.SAMPLED_RECALL);

    private final Options options = new Options();

    /** The NRI's own flags. */
    static final class Options {
        @Option(
                names = "--timesteps",
                split = ",",
                defaultValue = "10,20",
                description = "Trajectory lengths T (default: ${DEFAULT-VALUE}).")
        int[] timesteps;

        @Option(
                names = "--iterations",
                defaultValue = "50000",
                description = "Training steps (default: ${DEFAULT-VALUE}, the reference's).")
        int iterations;

        @Option(
                names = "--eval-every",
                defaultValue = "500",
                description = "Steps between evaluations and checkpoints (default: ${DEFAULT-VALUE}).")
        int evalEvery;

        @Option(
                names = "--hidden",
                defaultValue = "256",
                description = "Hidden units of every layer (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(
                names = "--noise-temperature",
                defaultValue = "1.0",
                description =
                        "Scale of the Sum-of-Gamma perturbation of IMLE, AIMLE and STE (default: ${DEFAULT-VALUE}).")
        double noiseTemperature;

        @Option(
                names = "--sst-temperature",
                defaultValue = "0.1",
                description = "SST's relaxation temperature (default: ${DEFAULT-VALUE}).")
        double sstTemperature;

        @Option(
                names = "--target",
                defaultValue = "0.5",
                description = "AIMLE's target c, non-zeros per tree of 45 undirected edges (default: ${DEFAULT-VALUE},"
                        + " the reference's c = 1 over 90 directed edges).")
        double target;

        @Option(
                names = "--data",
                paramLabel = "DIR",
                description =
                        "Directory of the .npy files, only read (default: <out>/data, generated there if absent).")
        Path data;

        @Option(
                names = "--train-limit",
                defaultValue = "0",
                description = "Train on only the first this many trajectories (default: all).")
        int trainLimit;

        @Option(
                names = "--eval-limit",
                defaultValue = "0",
                description = "Evaluate on only the first this many validation and test trajectories (default: all).")
        int evalLimit;
    }

    private static final Descriptor<NriSpec> DESCRIPTOR = new Descriptor<>(
            NAME,
            "The NRI experiment (paper Table 2): latent spanning trees behind moving particles; one resumable run"
                    + " directory per (method, T, lambda, seed), then Table 2 and figures. 'aimle nri generate' writes the"
                    + " data. --quick: T = 10, AIMLE central and STE, 40 steps of batch 32 with hidden 64 on a small"
                    + " generated set. The solver (default spanning-tree) is any maximum spanning tree solver over the 45 undirected edges; Adam's learning rate is halved every 200 epochs.",
            NriSpec.class,
            CSV,
            OWN_COLUMNS,
            Map.of(
                    "--batch", "128",
                    "--lr", "0.0005",
                    "--lambdas", "1,10,100",
                    "--solver", NriSpec.DEFAULT_SOLVER,
                    "--methods", Method.paperIds(NriMethod.class)));

    /** Every column of {@link #CSV}, in CSV order. */
    public static final List<String> COLUMNS = DESCRIPTOR.columns();

    @Override
    public Descriptor<NriSpec> descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object options() {
        return options;
    }

    @Override
    public List<Object> subcommands() {
        return List.of(new NriGenerateCommand());
    }

    private Path dataDirectory(SweepOptions sweep) {
        return sweep.dataDirectory(options.data);
    }

    /** The sweep: every method at every T, IMLE at every lambda, every seed. */
    @Override
    public List<NriSpec> grid(SweepOptions sweep) {
        Set<NriMethod> chosen = sweep.methods(List.of("aimle-central", "ste"), NriMethod::parse);
        int[] ts = sweep.quickOr("--timesteps", new int[] {10}, options.timesteps);
        int steps = sweep.quickOr("--iterations", 40, options.iterations);
        int every = sweep.quickOr("--eval-every", 20, options.evalEvery);
        int batchSize = sweep.batch(32);
        int units = sweep.quickOr("--hidden", 64, options.hidden);
        Path dataDir = dataDirectory(sweep);
        List<NriSpec> grid = new ArrayList<>();
        for (int t : ts) {
            for (NriMethod method : chosen) {
                for (double lambda : method.usesLambda() ? sweep.lambdas(null) : new double[] {0}) {
                    for (int seed = 0; seed < sweep.seeds(); seed++) {
                        grid.add(new NriSpec(
                                method,
                                t,
                                lambda,
                                options.target,
                                options.noiseTemperature,
                                options.sstTemperature,
                                seed,
                                steps,
                                every,
                                batchSize,
                                sweep.learningRate(),
                                t >= 20 ? 10 : t - 1,
                                units,
                                5e-5,
                                dataDir.toString(),
                                options.trainLimit,
                                options.evalLimit,
                                sweep.solver().name(NriSpec.DEFAULT_SOLVER),
                                sweep.solver().params()));
                    }
                }
            }
        }
        return grid;
    }

    /** Generates the data of every T when absent, once, before the children start. */
    @Override
    public void prepareData(List<NriSpec> grid, SweepOptions sweep, PrintWriter log) throws IOException {
        if (options.data == null) {
            for (int t : timesteps(grid)) {
                NriData.ensurePresent(dataDirectory(sweep), t, sweep.quick(), log);
            }
        }
    }

    /** A directory the user names is only read: a missing file is bad usage, never regenerated. */
    @Override
    public void checkData(List<NriSpec> grid, SweepOptions sweep) {
        if (options.data != null) {
            for (int t : timesteps(grid)) {
                try {
                    NriData.requirePresent(dataDirectory(sweep), t);
                } catch (IllegalArgumentException e) {
                    throw sweep.usage(e.getMessage());
                }
            }
        }
    }

    private static int[] timesteps(List<NriSpec> grid) {
        return grid.stream().mapToInt(NriSpec::timesteps).distinct().toArray();
    }

    @Override
    public NriData data(NriSpec spec) throws IOException {
        return NriData.load(Path.of(spec.dataDir()), spec.timesteps()).limit(spec.trainLimit(), spec.evalLimit());
    }

    @Override
    public TrainingSession session(Path dir, NriSpec spec, NriData data, MapSolver solver) {
        return new NriSession(dir, spec, data, solver);
    }

    @Override
    public void report(Path out, List<RunUnit<NriSpec>> runs, PrintWriter log) throws IOException {
        NriReport.write(out, runs, log);
    }

    /** A run with the reference's settings, on data in {@code "data"}, all of it. */
    public static NriSpec defaults(NriMethod method, int timesteps, double lambda, long seed) {
        return new NriSpec(
                method,
                timesteps,
                lambda,
                0.5,
                1.0,
                0.1,
                seed,
                REFERENCE_ITERATIONS,
                500,
                128,
                5e-4,
                timesteps >= 20 ? 10 : timesteps - 1,
                256,
                5e-5,
                "data",
                0,
                0);
    }

    /** The paper's methods, in Table 2's order (STE last; the calibrated preset is not among them). */
    public static List<NriMethod> methods() {
        return Arrays.stream(NriMethod.values())
                .filter(m -> !m.beyondThePaper())
                .toList();
    }

    /** The discrete layer of a run: the spanning-tree solver, the method's noise and estimator. */
    public static DiscreteLayer layer(NriSpec spec, MapSolver solver) {
        double temperature = spec.method().gumbelNoise() ? 1 : spec.noiseTemperature();
        return DiscreteLayer.builder()
                .solver(solver)
                .noise(spec.method().gumbelNoise() ? Noise.gumbel() : Noise.sumOfGamma(NriSpec.VERTICES, 10))
                .inputTemperature(temperature)
                .targetTemperature(temperature)
                .estimator(spec.method().create(spec))
                .samples(1)
                .seed(spec.seed())
                .build();
    }

    /** The model of a run, set on {@code holder} and initialised with the run's seed. */
    public static NriModel model(NriSpec spec, MapSolver solver, Model holder) {
        NriModel model = new NriModel(
                layer(spec, solver),
                NriSpec.VERTICES,
                spec.timesteps(),
                NriSpec.DIMS,
                spec.hidden(),
                spec.predictionSteps());
        holder.setBlock(model);
        Engine.getInstance().setRandomSeed((int) spec.seed());
        model.initialize(
                holder.getNDManager(),
                DataType.FLOAT32,
                new Shape(spec.batchSize(), NriSpec.VERTICES, spec.timesteps(), NriSpec.DIMS));
        return model;
    }
}
