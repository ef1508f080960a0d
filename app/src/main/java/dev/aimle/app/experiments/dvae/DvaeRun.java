package dev.aimle.app.experiments.dvae;

import ai.djl.MalformedModelException;
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
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.app.experiments.RunDirectory;
import dev.aimle.app.experiments.training.ResumableAdam;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteTrainer;
import dev.aimle.estimators.noise.Noise;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * One run of the DVAE experiment in its own directory: {@code spec.json} in, {@code epochs.csv}
 * out, a checkpoint after every epoch (parameters with the discrete layer's noise stream and
 * estimator state, Adam's moments, the rows so far). Started again on the same directory it resumes
 * from the last checkpoint with identical numbers; a kill at any moment leaves the last complete
 * checkpoint in force, because {@code progress.json} (which names it) is replaced atomically after
 * the checkpoint is written.
 *
 * <p>The run depends only on its directory and the spec, so a sweep can dispatch runs anywhere.
 */
public final class DvaeRun {
    /** The spec of the run. */
    public static final String SPEC = "spec.json";
    /** The last complete checkpoint and the rows so far. */
    public static final String PROGRESS = "progress.json";
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

    // NaN (lambda of a method without one) is written as a number token and read back
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final int EVAL_BATCH = 500;

    private final Path dir;
    private final DvaeSpec spec;

    private DvaeRun(Path dir, DvaeSpec spec) {
        this.dir = dir;
        this.spec = spec;
    }

    /**
     * Prepares a run directory: writes the spec, or checks that the one there is equal.
     *
     * @throws IllegalArgumentException if the directory holds another spec
     */
    public static DvaeRun prepare(Path dir, DvaeSpec spec) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(SPEC);
        if (Files.exists(file)) {
            DvaeSpec existing = readSpec(dir);
            // the number of epochs is a target, not part of the run's identity: nothing before the
            // last epoch depends on it, so a run can be extended (or cut short) and resumed
            if (!existing.withEpochs(spec.epochs()).equals(spec)) {
                throw new IllegalArgumentException(
                        dir + " holds another run (" + existing + "), not " + spec + "; choose another --out");
            }
            if (existing.epochs() != spec.epochs()) {
                RunDirectory.writeAtomically(file, JSON.writeValueAsString(spec.toMap()));
            }
        } else {
            RunDirectory.writeAtomically(file, JSON.writeValueAsString(spec.toMap()));
        }
        return new DvaeRun(dir, spec);
    }

    /** Opens an existing run directory by its spec. */
    public static DvaeRun open(Path dir) throws IOException {
        return new DvaeRun(dir, readSpec(dir));
    }

    /** The spec. */
    public DvaeSpec spec() {
        return spec;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    static DvaeSpec readSpec(Path dir) throws IOException {
        Map<String, Object> map =
                JSON.readValue(dir.resolve(SPEC).toFile(), new TypeReference<Map<String, Object>>() {});
        return DvaeSpec.fromMap(map);
    }

    /** The rows of the epochs completed so far (from the last checkpoint). */
    public List<Map<String, Double>> rows() throws IOException {
        Path progress = dir.resolve(PROGRESS);
        if (!Files.exists(progress)) {
            return List.of();
        }
        Progress p = JSON.readValue(progress.toFile(), Progress.class);
        return p.rows();
    }

    /** Whether every epoch is done. */
    public boolean complete() throws IOException {
        return rows().size() >= spec.epochs();
    }

    /** What {@code progress.json} holds. */
    record Progress(int epoch, String checkpoint, List<Map<String, Double>> rows) {}

    /**
     * Trains until all epochs are done, resuming from the last checkpoint.
     *
     * @param solver top-k with {@code k = spec.k()}
     * @param data the images
     * @param log where to print a line per epoch
     */
    public void train(MapSolver solver, DvaeData data, PrintWriter log) throws IOException {
        List<Map<String, Double>> rows = new ArrayList<>(rows());
        int done = rows.size();
        deleteStaleCheckpoints(done == 0 ? null : checkpointDir(done));
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
            if (done > 0) {
                Path checkpoint = checkpointDir(done);
                try (DataInputStream in = dataIn(checkpoint.resolve("model.params"))) {
                    block.loadParameters(model.getNDManager(), in);
                } catch (MalformedModelException e) {
                    throw new IOException(checkpoint + " does not fit this run: " + e.getMessage(), e);
                }
                block.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
                try (DataInputStream in = dataIn(checkpoint.resolve("optimizer.bin"))) {
                    adam.load(block.getParameters(), in);
                }
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
                        lossSum += step(trainer, elbo, data, order, from);
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
                    row.put("rss_mb", rssMegabytes());
                    rows.add(row);
                    checkpoint(epoch, block, adam, rows);
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

    private double step(Trainer trainer, DvaeModel.Elbo elbo, DvaeData data, int[] order, int from) {
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
        return manager.create(values, new Shape(n, size));
    }

    /** lambda, alpha and gbar from an adaptive estimator's state; IMLE's fixed lambda; NaN otherwise. */
    private void putEstimatorState(Map<String, Double> row, GradientEstimator estimator) {
        Map<String, Double> state = estimator.state();
        row.put("lambda", state.getOrDefault("lastLambda", spec.method().usesLambda() ? spec.lambda() : Double.NaN));
        row.put("alpha", state.getOrDefault("alpha", Double.NaN));
        row.put("gbar", state.getOrDefault("gbar", Double.NaN));
    }

    private Path checkpointDir(int epoch) {
        return dir.resolve(String.format(Locale.ROOT, "checkpoint-%04d", epoch));
    }

    private void checkpoint(int epoch, Block block, ResumableAdam adam, List<Map<String, Double>> rows)
            throws IOException {
        Path target = checkpointDir(epoch);
        deleteRecursively(target);
        Files.createDirectories(target);
        try (DataOutputStream out = dataOut(target.resolve("model.params"))) {
            block.saveParameters(out);
        }
        try (DataOutputStream out = dataOut(target.resolve("optimizer.bin"))) {
            adam.save(block.getParameters(), out);
        }
        RunDirectory.writeAtomically(
                dir.resolve(PROGRESS),
                JSON.writeValueAsString(new Progress(epoch, target.getFileName().toString(), rows)));
        RunDirectory.writeAtomically(dir.resolve(EPOCHS_CSV), csv(rows));
        deleteStaleCheckpoints(target);
    }

    static String csv(List<Map<String, Double>> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Map<String, Double> row : rows) {
            for (int i = 0; i < COLUMNS.size(); i++) {
                double v = row.get(COLUMNS.get(i));
                sb.append(i == 0 ? "" : ",")
                        .append(
                                v == Math.rint(v) && Math.abs(v) < 1e15
                                        ? Long.toString((long) v)
                                        : Double.isNaN(v) ? "" : Double.toString(v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Removes every checkpoint directory but {@code keep} (partial ones from a kill included). */
    private void deleteStaleCheckpoints(Path keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("checkpoint-"))
                    .toList()) {
                if (!p.equals(keep)) {
                    deleteRecursively(p);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static DataOutputStream dataOut(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    private static DataInputStream dataIn(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /** The resident set size of this process, from /proc (NaN where there is none). */
    static double rssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
