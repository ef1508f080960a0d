package dev.aimle.app.harness;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import dev.aimle.api.Config;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.app.cli.AimleCommand;
import dev.aimle.app.cli.CliEnvironment;
import dev.aimle.app.options.SweepOptions;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.Steps;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/**
 * A cheap experiment on the harness, for testing the harness itself in child processes: a linear
 * regression of 3 inputs (one DJL {@code Linear} unit, Adam) on batches drawn from the seed and the
 * step, a row per 3 batches holding the weights' sum. Its {@link #main} is a command line with
 * only this experiment, so a sweep's children run it too. Not a test itself: HarnessKillIT asserts
 * through it.
 *
 * <p>The environment variable {@value #PAUSE} makes a process stop for good at a named moment, print
 * {@code paused AT} and wait to be killed: {@code row:N} while evaluating row N, {@code checkpoint:N}
 * in the middle of the N-th checkpoint this process writes (the parameters written, the optimiser's
 * state and the checksums not yet), {@code start:ID} when unit ID's session starts (no row yet).
 */
final class CountingExperiment implements Experiment<CountingExperiment.Spec, Void> {
    static final String NAME = "counting";
    static final String PAUSE = "AIMLE_TEST_PAUSE";
    static final int BATCHES = 3;
    static final int BATCH = 4;
    static final int INPUTS = 3;

    private static final Descriptor<Spec> DESCRIPTOR = new Descriptor<>(
            NAME,
            "A linear regression on generated batches, for testing the harness.",
            Spec.class,
            "rows.csv",
            List.of("step", "train_loss", "weight_sum"),
            Map.of("--batch", "4", "--lr", "0.05", "--lambdas", "1", "--solver", "topk", "--methods", "count"));
    /** Its own columns, then the loop's (λ, α and ḡ empty: it has no estimator). */
    static final List<String> COLUMNS = DESCRIPTOR.columns();

    /** One run: a seed and its rows; the solver is created by the harness and not used. */
    record Spec(long seed, int rows, String solver) implements UnitSpec {
        @Override
        public String id() {
            return "count_seed" + seed;
        }

        @Override
        public int rowsWanted() {
            return rows;
        }

        @Override
        public Config solverConfig() {
            return Config.of(Map.of("k", 1));
        }
    }

    /** The command line of this experiment alone (and the class a sweep's children start). */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), args));
    }

    /** Runs the command line of this experiment alone in this process, printing on {@code out}. */
    static int run(PrintWriter out, String... args) {
        CommandLine cli = new CommandLine(new AimleCommand(CliEnvironment.system()));
        Harness.install(cli, CountingExperiment.class.getName(), List.of(new CountingExperiment()));
        cli.setOut(out);
        cli.setErr(out);
        return cli.execute(args);
    }

    @Override
    public Descriptor<Spec> descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<Spec> grid(SweepOptions options) {
        List<Spec> grid = new ArrayList<>();
        for (int seed = 0; seed < options.seeds(); seed++) {
            grid.add(new Spec(seed, 4, options.solver().name("topk")));
        }
        return grid;
    }

    @Override
    public Void data(Spec spec) {
        return null;
    }

    @Override
    public TrainingSession session(Path dir, Spec spec, Void data, MapSolver solver) {
        pauseAt("start:" + spec.id());
        return new Session(spec);
    }

    @Override
    public void report(Path out, List<RunUnit<Spec>> runs, PrintWriter log) {
        log.println(NAME + ": " + runs.size() + " runs");
    }

    /** Stops this process for good if {@value #PAUSE} names {@code moment}, saying so on stdout. */
    static void pauseAt(String moment) {
        if (moment.equals(System.getenv(PAUSE))) {
            System.out.println("paused " + moment);
            System.out.flush();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while paused at " + moment, e);
            }
        }
    }

    /** A linear unit whose parameters' writer can pause after writing them. */
    static final class PausingBlock extends SequentialBlock {
        private int saves;

        PausingBlock() {
            add(Linear.builder().setUnits(1).build());
            setInitializer(new ConstantInitializer(0.1f), Parameter.Type.WEIGHT);
        }

        @Override
        public void saveParameters(DataOutputStream os) throws IOException {
            super.saveParameters(os);
            os.flush();
            saves++;
            pauseAt("checkpoint:" + saves);
        }
    }

    private static final class Session implements TrainingSession {
        private final Spec spec;
        private final Model model = Model.newInstance("counting");
        private final ResumableAdam adam = new ResumableAdam(0.05f);

        Session(Spec spec) {
            this.spec = spec;
            PausingBlock block = new PausingBlock();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(BATCH, INPUTS));
        }

        @Override
        public Model model() {
            return model;
        }

        @Override
        public ResumableAdam optimizer() {
            return adam;
        }

        @Override
        public Loss loss() {
            return Loss.l2Loss();
        }

        @Override
        public boolean discrete() {
            return false;
        }

        @Override
        public Batches batches(int row, long step) {
            return new Batches() {
                @Override
                public int count() {
                    return BATCHES;
                }

                @Override
                public Batch get(int index, NDManager manager) {
                    SplittableRandom random = new SplittableRandom(spec.seed() * 1_000_003L + step + index);
                    float[] x = new float[BATCH * INPUTS];
                    float[] y = new float[BATCH];
                    for (int i = 0; i < BATCH; i++) {
                        for (int j = 0; j < INPUTS; j++) {
                            x[i * INPUTS + j] = (float) random.nextGaussian();
                            y[i] += (j + 1) * x[i * INPUTS + j];
                        }
                    }
                    NDArray xs = HostArrays.create(manager, x, new Shape(BATCH, INPUTS));
                    NDArray ys = HostArrays.create(manager, y, new Shape(BATCH, 1));
                    return Steps.batch(manager, new NDList(xs), new NDList(ys));
                }
            };
        }

        @Override
        public void evaluate(Trainer trainer, int row, Map<String, Double> values, List<Map<String, Double>> previous) {
            pauseAt("row:" + row);
            double sum = 0;
            for (var p : model.getBlock().getParameters().values()) {
                for (float w : p.getArray().toFloatArray()) {
                    sum += w;
                }
            }
            values.put("weight_sum", sum);
        }

        @Override
        public String describe(int row, Map<String, Double> values) {
            return String.format(Locale.ROOT, "row %d: weights %.6f", row, values.get("weight_sum"));
        }
    }
}
