package dev.aimle.app.experiments.l2x;

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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.RunEnvironment;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.TrainingCheckpoint;
import dev.aimle.estimators.layer.DiscreteBlock;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteTrainer;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.estimators.relaxed.RelaxedSubsetBlock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One run of the learning-to-explain experiment in its own directory ({@link RunUnit}): {@code
 * spec.json} in, {@code epochs.csv} out (validation and test MSE, subset precision, the estimator's
 * lambda), a checkpoint after every epoch (parameters with the selector's noise stream and estimator
 * state and the dropout stream, Adam's moments). Resumed on the same directory it continues with
 * identical numbers. {@code best.json} holds the selections of the first annotated reviews at the
 * epoch of lowest validation MSE so far (the epoch the reference keeps as its checkpoint).
 */
public final class L2xRun {
    /** One row per epoch. */
    public static final String EPOCHS_CSV = "epochs.csv";
    /** The selections at the best validation epoch. */
    public static final String BEST_JSON = "best.json";
    /** Annotated reviews whose selections {@code best.json} keeps. */
    static final int SHOWN = 8;
    /** The columns of {@link #EPOCHS_CSV}. */
    public static final List<String> COLUMNS = List.of(
            "epoch",
            "step",
            "train_loss",
            "validation_mse",
            "test_mse",
            "subset_precision",
            "lambda",
            "alpha",
            "gbar",
            "seconds",
            "rss_mb");

    private static final int EVAL_BATCH = 200;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final RunUnit<L2xSpec> unit;

    private L2xRun(RunUnit<L2xSpec> unit) {
        this.unit = unit;
    }

    /** Prepares a run directory (see {@link RunUnit#prepare}). */
    public static L2xRun prepare(Path dir, L2xSpec spec) throws IOException {
        return new L2xRun(RunUnit.prepare(dir, spec, L2xSpec::fromMap, EPOCHS_CSV, COLUMNS));
    }

    /** Opens an existing run directory. */
    public static L2xRun open(Path dir) throws IOException {
        return new L2xRun(RunUnit.open(dir, L2xSpec::fromMap, EPOCHS_CSV, COLUMNS));
    }

    /** The directory protocol. */
    public RunUnit<L2xSpec> unit() {
        return unit;
    }

    /** The spec. */
    public L2xSpec spec() {
        return unit.spec();
    }

    /** The directory. */
    public Path dir() {
        return unit.dir();
    }

    /** The rows so far. */
    public List<Map<String, Double>> rows() throws IOException {
        return unit.rows();
    }

    /** Whether every epoch is done. */
    public boolean complete() throws IOException {
        return unit.complete();
    }

    /** The data a run's spec names. */
    public static L2xData data(L2xSpec spec) throws IOException {
        return spec.generated()
                ? L2xData.generated(spec.task(), spec.aspect(), spec.maxLength(), spec.seed(), spec.trainLimit())
                : L2xData.load(Path.of(spec.data()), spec.aspect(), spec.maxLength(), spec.seed(), spec.trainLimit());
    }

    /**
     * The selector block of a spec and, for an estimator method, its estimator (else null).
     *
     * @param block {@code [theta, selectable] -> [z]}
     * @param estimator the gradient estimator, or null for a relaxation (plain autograd)
     */
    public record Selector(Block block, GradientEstimator estimator) {}

    /** The selector of a spec over a top-k solver with {@code k = spec.k()}. */
    public static Selector selector(L2xSpec spec, MapSolver solver) {
        if (spec.method().relaxation() != null) {
            return new Selector(
                    new RelaxedSubsetBlock(
                            spec.method().relaxation(), solver, spec.k(), spec.temperature(), spec.seed()),
                    null);
        }
        boolean sst = spec.method() == L2xMethod.SST;
        GradientEstimator estimator = spec.method().estimator(spec.lambda(), spec.imleScaling(), spec.temperature());
        // SST perturbs with Gumbel(0, 1) at scale 1, its t is the relaxation's; the others scale their noise by t
        double scale = sst ? 1.0 : spec.temperature();
        DiscreteLayer layer = DiscreteLayer.builder()
                .solver(solver)
                .noise(!sst && spec.noise().equals("sog") ? Noise.sumOfGamma(spec.k(), 10) : Noise.gumbel())
                .estimator(estimator)
                .inputTemperature(scale)
                .targetTemperature(scale)
                .seed(spec.seed())
                .build();
        // SST takes no padding mask: the padded scores are pushed below the others instead
        return new Selector(sst ? new ScoreMaskBlock(DiscreteBlock.of(layer)) : DiscreteBlock.of(layer), estimator);
    }

    /** The model of a spec, not initialised. */
    public static L2xModel model(L2xSpec spec, Block selector) {
        return new L2xModel(selector, spec.k(), spec.hidden(), spec.filters(), 3, spec.seed() ^ 0x1F2E3D4C5B6A7988L);
    }

    /**
     * Trains until all epochs are done, resuming from the last checkpoint.
     *
     * @param solver top-k with {@code k = spec.k()}
     */
    public void train(MapSolver solver, L2xData data, PrintWriter log) throws IOException {
        L2xSpec spec = unit.spec();
        List<Map<String, Double>> rows = new ArrayList<>(rows());
        int done = rows.size();
        Optional<Path> checkpoint = unit.resume();
        if (done >= spec.epochs()) {
            return;
        }
        Selector selector = selector(spec, solver);
        // the reference: Adam with epsilon 1e-7 (the Keras default its setting comes from)
        ResumableAdam adam = new ResumableAdam((float) spec.learningRate(), 0.9f, 0.999f, 1e-7f);
        try (Model model = Model.newInstance("l2x-" + spec.id())) {
            L2xModel block = model(spec, selector.block());
            model.setBlock(block);
            Engine.getInstance().setRandomSeed((int) spec.seed());
            Shape embeddings = new Shape(spec.batchSize(), data.maxLength(), data.dimensions());
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, embeddings, new Shape(spec.batchSize(), data.maxLength()));
            if (checkpoint.isPresent()) {
                TrainingCheckpoint.restore(checkpoint.get(), block, model.getNDManager(), adam);
            }
            L2xModel.SquaredError mse = new L2xModel.SquaredError();
            DefaultTrainingConfig config = new DefaultTrainingConfig(mse).optOptimizer(adam);
            // a relaxation is plain autograd: DJL's own trainer; a discrete layer needs the two-phase one
            try (Trainer trainer =
                    selector.estimator() == null ? model.newTrainer(config) : new DiscreteTrainer(model, config)) {
                long step = done == 0 ? 0 : rows.get(done - 1).get("step").longValue();
                double best = rows.stream()
                        .mapToDouble(r -> r.get("validation_mse"))
                        .min()
                        .orElse(Double.POSITIVE_INFINITY);
                for (int epoch = done + 1; epoch <= spec.epochs(); epoch++) {
                    long start = System.nanoTime();
                    int[] order = L2xData.permutation(
                            data.train().size(), new SplittableRandom(spec.seed() * 1_000_003L + epoch));
                    double lossSum = 0;
                    int batches = 0;
                    for (int from = 0; from + spec.batchSize() <= order.length; from += spec.batchSize()) {
                        int[] index = new int[spec.batchSize()];
                        System.arraycopy(order, from, index, 0, index.length);
                        double loss = step(trainer, mse, data, index, spec.k());
                        if (!Double.isFinite(loss)) {
                            throw new IllegalStateException("the training loss is " + loss + " at step " + (step + 1)
                                    + " (epoch " + epoch + "); the run stays at its last checkpoint");
                        }
                        lossSum += loss;
                        batches++;
                        step++;
                    }
                    Map<String, Double> row = new LinkedHashMap<>();
                    row.put("epoch", (double) epoch);
                    row.put("step", (double) step);
                    row.put("train_loss", lossSum / Math.max(1, batches));
                    row.put("validation_mse", meanSquaredError(trainer, data, data.validation(), spec.k()));
                    row.put("test_mse", meanSquaredError(trainer, data, data.test(), spec.k()));
                    float[][] selections = selections(trainer, data, spec.k());
                    row.put("subset_precision", SubsetPrecision.of(data.annotated(), selections, spec.k()));
                    putEstimatorState(row, selector.estimator());
                    row.put("seconds", (System.nanoTime() - start) / 1e9);
                    row.put("rss_mb", RunEnvironment.residentMegabytes());
                    rows.add(row);
                    if (row.get("validation_mse") <= best) {
                        best = row.get("validation_mse");
                        writeBest(epoch, data, selections);
                    }
                    TrainingCheckpoint.save(unit.newCheckpoint(epoch), block, adam);
                    unit.commit(rows);
                    log.printf(
                            Locale.ROOT,
                            "%s epoch %d/%d: train %.5f, validation MSE %.5f, test MSE %.5f, subset precision %.4f"
                                    + " (%.1f s)%n",
                            spec.id(),
                            epoch,
                            spec.epochs(),
                            row.get("train_loss"),
                            row.get("validation_mse"),
                            row.get("test_mse"),
                            row.get("subset_precision"),
                            row.get("seconds"));
                    log.flush();
                }
            }
        }
    }

    /** One training step; the loss (not finite: no step taken). */
    static double step(Trainer trainer, L2xModel.SquaredError mse, L2xData data, int[] index, int k) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList inputs = inputs(scope, data, data.train(), index, k);
            NDArray labels = scores(scope, data.train(), index);
            float value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList out = trainer.forward(inputs);
                NDArray loss = mse.evaluate(new NDList(labels), out);
                value = loss.getFloat();
                if (!Float.isFinite(value)) {
                    return value;
                }
                collector.backward(loss);
            }
            trainer.step();
            return value;
        }
    }

    /** {@code [embeddings, selectable]} of some reviews. */
    static NDList inputs(NDManager manager, L2xData data, L2xData.Split split, int[] index, int k) {
        NDArray embeddings = HostArrays.create(
                manager, data.embed(split.ids(), index), new Shape(index.length, data.maxLength(), data.dimensions()));
        NDArray selectable =
                manager.create(data.selectable(split.lengths(), index, k), new Shape(index.length, data.maxLength()));
        return new NDList(embeddings, selectable);
    }

    private static NDArray scores(NDManager manager, L2xData.Split split, int[] index) {
        float[] y = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            y[i] = split.scores()[index[i]];
        }
        return manager.create(y);
    }

    /** The noiseless MSE over a whole split (MAP selection, no dropout). */
    static double meanSquaredError(Trainer trainer, L2xData data, L2xData.Split split, int k) {
        double sum = 0;
        for (int from = 0; from < split.size(); from += EVAL_BATCH) {
            int[] index = range(from, Math.min(split.size(), from + EVAL_BATCH));
            try (NDManager scope = trainer.getManager().newSubManager()) {
                float[] p = trainer.evaluate(inputs(scope, data, split, index, k))
                        .get(0)
                        .toFloatArray();
                for (int i = 0; i < index.length; i++) {
                    double d = p[i] - split.scores()[index[i]];
                    sum += d * d;
                }
            }
        }
        return sum / Math.max(1, split.size());
    }

    /** The MAP selections of every annotated review, {@code [reviews][maxLength]}. */
    static float[][] selections(Trainer trainer, L2xData data, int k) {
        List<L2xData.Annotated> annotated = data.annotated();
        int[][] ids = new int[annotated.size()][];
        int[] lengths = new int[annotated.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = annotated.get(i).ids();
            lengths[i] = annotated.get(i).length();
        }
        L2xData.Split split = new L2xData.Split(ids, lengths, new float[ids.length]);
        float[][] out = new float[ids.length][];
        for (int from = 0; from < ids.length; from += EVAL_BATCH) {
            int[] index = range(from, Math.min(ids.length, from + EVAL_BATCH));
            try (NDManager scope = trainer.getManager().newSubManager()) {
                float[] z = trainer.evaluate(inputs(scope, data, split, index, k))
                        .get(1)
                        .toFloatArray();
                for (int i = 0; i < index.length; i++) {
                    float[] row = new float[data.maxLength()];
                    System.arraycopy(z, i * data.maxLength(), row, 0, row.length);
                    out[index[i]] = row;
                }
            }
        }
        return out;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** {@code best.json}: the epoch and, per shown review, its tokens, rationale and selected positions. */
    private void writeBest(int epoch, L2xData data, float[][] selections) throws IOException {
        Map<String, Object> best = new LinkedHashMap<>();
        best.put("epoch", epoch);
        List<Map<String, Object>> reviews = new ArrayList<>();
        for (int r = 0; r < Math.min(SHOWN, selections.length); r++) {
            L2xData.Annotated a = data.annotated().get(r);
            int first = data.maxLength() - a.length();
            List<Integer> selected = new ArrayList<>();
            List<Integer> rationale = new ArrayList<>();
            for (int i = 0; i < a.length(); i++) {
                if (selections[r][first + i] != 0) {
                    selected.add(i);
                }
                if (a.rationale()[first + i]) {
                    rationale.add(i);
                }
            }
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("tokens", a.tokens());
            review.put("rationale", rationale);
            review.put("selected", selected);
            reviews.add(review);
        }
        best.put("reviews", reviews);
        RunDirectory.writeAtomically(unit.dir().resolve(BEST_JSON), JSON.writeValueAsString(best));
    }

    /** The reviews of {@code best.json}, or an empty list. */
    static List<Map<String, Object>> bestReviews(Path dir) throws IOException {
        Path file = dir.resolve(BEST_JSON);
        if (!Files.exists(file)) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> reviews = (List<Map<String, Object>>)
                JSON.readValue(file.toFile(), Map.class).get("reviews");
        return reviews;
    }

    private void putEstimatorState(Map<String, Double> row, GradientEstimator estimator) {
        L2xSpec spec = unit.spec();
        Map<String, Double> state = estimator == null ? Map.of() : estimator.state();
        row.put("lambda", state.getOrDefault("lastLambda", spec.method().usesLambda() ? spec.lambda() : Double.NaN));
        row.put("alpha", state.getOrDefault("alpha", Double.NaN));
        row.put("gbar", state.getOrDefault("gbar", Double.NaN));
    }
}
