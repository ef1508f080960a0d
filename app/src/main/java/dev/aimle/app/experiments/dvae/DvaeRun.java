package dev.aimle.app.experiments.dvae;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.RunEnvironment;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.TrainingCheckpoint;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteTrainer;
import dev.aimle.estimators.noise.Noise;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * One run of the DVAE experiment in its own directory ({@link RunUnit}): {@code spec.json} in,
 * {@code epochs.csv} out, a checkpoint after every epoch (parameters with the discrete layer's
 * noise stream and estimator state, Adam's moments, the rows so far). Started again on the same
 * directory it resumes from the last checkpoint with identical numbers.
 */
public final class DvaeRun {
    /** One row per epoch. */
    public static final String EPOCHS_CSV = "epochs.csv";
    /** The columns of {@link #EPOCHS_CSV}. */
    public static final List<String> COLUMNS = List.of(
            "epoch",
            "step",
            "train_loss",
            "validation_loss",
            "test_loss",
            "lambda",
            "alpha",
            "gbar",
            "seconds",
            "rss_mb");

    private static final int EVAL_BATCH = 500;

    private final RunUnit<DvaeSpec> unit;

    private DvaeRun(RunUnit<DvaeSpec> unit) {
        this.unit = unit;
    }

    /**
     * Prepares a run directory: writes the spec, or checks that the one there is equal but for the
     * number of epochs (a run can be extended, or cut short, and resumed).
     *
     * @throws IllegalArgumentException if the directory holds another spec
     */
    public static DvaeRun prepare(Path dir, DvaeSpec spec) throws IOException {
        return new DvaeRun(RunUnit.prepare(dir, spec, DvaeSpec::fromMap, EPOCHS_CSV, COLUMNS));
    }

    /** Opens an existing run directory by its spec. */
    public static DvaeRun open(Path dir) throws IOException {
        return new DvaeRun(RunUnit.open(dir, DvaeSpec::fromMap, EPOCHS_CSV, COLUMNS));
    }

    /** The run's directory protocol. */
    public RunUnit<DvaeSpec> unit() {
        return unit;
    }

    /** The spec. */
    public DvaeSpec spec() {
        return unit.spec();
    }

    /** The directory. */
    public Path dir() {
        return unit.dir();
    }

    /** The rows of the epochs completed so far (from the last checkpoint). */
    public List<Map<String, Double>> rows() throws IOException {
        return unit.rows();
    }

    /** Whether every epoch is done. */
    public boolean complete() throws IOException {
        return unit.complete();
    }

    /**
     * Trains until all epochs are done, resuming from the last checkpoint.
     *
     * @param solver top-k with {@code k = spec.k()}
     * @param data the images
     * @param log where to print a line per epoch
     */
    public void train(MapSolver solver, DvaeData data, PrintWriter log) throws IOException {
        DvaeSpec spec = unit.spec();
        List<Map<String, Double>> rows = new ArrayList<>(rows());
        int done = rows.size();
        Optional<Path> checkpoint = unit.resume();
        if (done >= spec.epochs()) {
            return;
        }
        GradientEstimator estimator = spec.method().create(spec.lambda(), spec.imleScaling());
        DiscreteLayer layer = DiscreteLayer.builder()
                .solver(solver)
                .noise(spec.k() == 1 ? Noise.gumbel() : Noise.sumOfGamma(spec.k(), 10))
                .estimator(estimator)
                .samples(spec.samples())
                .seed(spec.seed())
                .build();
        ResumableAdam adam = new ResumableAdam((float) spec.learningRate());
        try (Model model = Model.newInstance("dvae-" + spec.id())) {
            Block block = DvaeModel.block(layer, data.size());
            model.setBlock(block);
            Engine.getInstance().setRandomSeed((int) spec.seed());
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(spec.batchSize(), data.size()));
            if (checkpoint.isPresent()) {
                TrainingCheckpoint.restore(checkpoint.get(), block, model.getNDManager(), adam);
            }
            DvaeModel.Elbo elbo = new DvaeModel.Elbo();
            try (Trainer trainer = new DiscreteTrainer(model, new DefaultTrainingConfig(elbo).optOptimizer(adam))) {
                long step = done == 0 ? 0 : rows.get(done - 1).get("step").longValue();
                for (int epoch = done + 1; epoch <= spec.epochs(); epoch++) {
                    long start = System.nanoTime();
                    int[] order = DvaeData.permutation(
                            data.trainCount(), new SplittableRandom(spec.seed() * 1_000_003L + epoch));
                    double lossSum = 0;
                    int batches = 0;
                    for (int from = 0; from + spec.batchSize() <= order.length; from += spec.batchSize()) {
                        lossSum += step(spec, trainer, elbo, data, order, from);
                        batches++;
                        step++;
                    }
                    Map<String, Double> row = new LinkedHashMap<>();
                    row.put("epoch", (double) epoch);
                    row.put("step", (double) step);
                    row.put("train_loss", lossSum / Math.max(1, batches));
                    row.put("validation_loss", evaluate(trainer, data.validation(), data.size()));
                    row.put("test_loss", evaluate(trainer, data.test(), data.size()));
                    putEstimatorState(row, estimator);
                    row.put("seconds", (System.nanoTime() - start) / 1e9);
                    row.put("rss_mb", RunEnvironment.residentMegabytes());
                    rows.add(row);
                    TrainingCheckpoint.save(unit.newCheckpoint(epoch), block, adam);
                    unit.commit(rows);
                    log.printf(
                            Locale.ROOT,
                            "%s epoch %d/%d: train %.2f, validation %.2f, test %.2f (%.1f s)%n",
                            spec.id(),
                            epoch,
                            spec.epochs(),
                            row.get("train_loss"),
                            row.get("validation_loss"),
                            row.get("test_loss"),
                            row.get("seconds"));
                    log.flush();
                }
            }
        }
    }

    private double step(DvaeSpec spec, Trainer trainer, DvaeModel.Elbo elbo, DvaeData data, int[] order, int from) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = batch(scope, data.train(), data.size(), i -> order[from + i], spec.batchSize());
            float value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList out = trainer.forward(new NDList(x));
                NDArray loss = elbo.evaluate(new NDList(x), out);
                value = loss.getFloat();
                collector.backward(loss);
            }
            trainer.step();
            return value;
        }
    }

    /** The noiseless loss per image over a whole set. */
    private static double evaluate(Trainer trainer, float[] images, int size) {
        int count = images.length / size;
        double sum = 0;
        for (int from = 0; from < count; from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, count - from);
            final int offset = from;
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = batch(scope, images, size, i -> offset + i, n);
                sum += DvaeModel.Elbo.sum(x, trainer.evaluate(new NDList(x))).getFloat();
            }
        }
        return sum / Math.max(1, count);
    }

    private static NDArray batch(NDManager manager, float[] images, int size, IntFunction<Integer> index, int n) {
        float[] values = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images, index.apply(i) * size, values, i * size, size);
        }
        return HostArrays.create(manager, values, new Shape(n, size));
    }

    /** lambda, alpha and gbar from an adaptive estimator's state; IMLE's fixed lambda; NaN otherwise. */
    private void putEstimatorState(Map<String, Double> row, GradientEstimator estimator) {
        DvaeSpec spec = unit.spec();
        Map<String, Double> state = estimator.state();
        row.put("lambda", state.getOrDefault("lastLambda", spec.method().usesLambda() ? spec.lambda() : Double.NaN));
        row.put("alpha", state.getOrDefault("alpha", Double.NaN));
        row.put("gbar", state.getOrDefault("gbar", Double.NaN));
    }
}
