package dev.aimle.app.experiments.nri;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.RunEnvironment;
import dev.aimle.app.harness.RunUnit;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.TrainingCheckpoint;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One run of the NRI experiment in its own directory ({@link RunUnit}): {@code spec.json} in, {@code
 * evaluations.csv} out, an evaluation and a checkpoint every {@code evalEvery} steps. Training reads
 * the training set in order, batch after batch, epoch after epoch (the reference's unshuffled
 * loader), so the step number alone says which batch comes next; a resumed run continues with
 * identical numbers.
 */
public final class NriRun {
    /** One row per evaluation. */
    public static final String CSV = "evaluations.csv";
    /** The columns of {@link #CSV}. */
    public static final List<String> COLUMNS = List.of(
            "step",
            "train_loss",
            "valid_elbo",
            "valid_precision",
            "valid_recall",
            "test_elbo",
            "test_precision",
            "test_recall",
            "lambda",
            "alpha",
            "gbar",
            "seconds",
            "rss_mb");

    /** A few test trajectories with their true and recovered trees, written when the run is complete. */
    public static final String EXAMPLES = "examples.json";
    /** Trajectories in {@link #EXAMPLES}. */
    static final int EXAMPLE_COUNT = 4;

    /** Trajectories per evaluation batch (the reference's eval batch size). */
    static final int EVAL_BATCH = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunUnit<NriSpec> unit;

    private NriRun(RunUnit<NriSpec> unit) {
        this.unit = unit;
    }

    /** Prepares a run directory (see {@link RunUnit#prepare}). */
    public static NriRun prepare(Path dir, NriSpec spec) throws IOException {
        return new NriRun(RunUnit.prepare(dir, spec, NriSpec::fromMap, CSV, COLUMNS));
    }

    /** Opens an existing run directory. */
    public static NriRun open(Path dir) throws IOException {
        return new NriRun(RunUnit.open(dir, NriSpec::fromMap, CSV, COLUMNS));
    }

    /** The directory protocol. */
    public RunUnit<NriSpec> unit() {
        return unit;
    }

    /** The spec. */
    public NriSpec spec() {
        return unit.spec();
    }

    /** The rows so far. */
    public List<Map<String, Double>> rows() throws IOException {
        return unit.rows();
    }

    /**
     * Trains until every evaluation is done, resuming from the last checkpoint.
     *
     * @param solver the spanning-tree MAP solver
     * @param data the trajectories (already limited to the spec's sizes)
     * @param log where to print a line per evaluation
     */
    public void train(MapSolver solver, NriData data, PrintWriter log) throws IOException {
        NriSpec spec = unit.spec();
        List<Map<String, Double>> rows = new ArrayList<>(unit.rows());
        Optional<Path> checkpoint = unit.resume();
        if (rows.size() >= spec.rowsWanted()) {
            return;
        }
        if (data.timesteps() != spec.timesteps()) {
            throw new IllegalArgumentException(
                    "the data has T = " + data.timesteps() + ", the run wants T = " + spec.timesteps());
        }
        int trainCount = data.train().count();
        ResumableAdam adam = new ResumableAdam(t -> spec.learningRateAt(t, trainCount), 0.9f, 0.999f, 1e-8f);
        NriLoss loss = new NriLoss(spec.variance());
        try (Model holder = Model.newInstance("nri-" + spec.id())) {
            NriModel model = NriExperiment.model(spec, solver, holder);
            DiscreteLayer layer = model.layer();
            if (checkpoint.isPresent()) {
                TrainingCheckpoint.restore(checkpoint.get(), model, holder.getNDManager(), adam);
            }
            try (Trainer trainer = new DiscreteTrainer(holder, new DefaultTrainingConfig(loss).optOptimizer(adam))) {
                int batchesPerEpoch = (trainCount + spec.batchSize() - 1) / spec.batchSize();
                long step = (long) rows.size() * spec.evalEvery();
                while (rows.size() < spec.rowsWanted()) {
                    long start = System.nanoTime();
                    double lossSum = 0;
                    for (int i = 0; i < spec.evalEvery(); i++) {
                        int from = (int) (step % batchesPerEpoch) * spec.batchSize();
                        int n = Math.min(spec.batchSize(), trainCount - from);
                        lossSum += step(trainer, loss, data.train(), from, n, spec.timesteps());
                        step++;
                    }
                    Map<String, Double> row = new LinkedHashMap<>();
                    row.put("step", (double) step);
                    row.put("train_loss", lossSum / spec.evalEvery());
                    putAll(row, "valid", evaluate(trainer, loss, data.valid(), spec.timesteps()));
                    putAll(row, "test", evaluate(trainer, loss, data.test(), spec.timesteps()));
                    putEstimatorState(row, layer.estimator(), spec);
                    row.put("seconds", (System.nanoTime() - start) / 1e9);
                    row.put("rss_mb", RunEnvironment.residentMegabytes());
                    rows.add(row);
                    TrainingCheckpoint.save(unit.newCheckpoint(rows.size()), model, adam);
                    unit.commit(rows);
                    log.printf(
                            Locale.ROOT,
                            "%s step %d/%d: train loss %.1f, validation ELBO %.1f (precision %.1f, recall %.1f),"
                                    + " test ELBO %.1f (%.1f s)%n",
                            spec.id(),
                            step,
                            spec.iterations(),
                            row.get("train_loss"),
                            row.get("valid_elbo"),
                            100 * row.get("valid_precision"),
                            100 * row.get("valid_recall"),
                            row.get("test_elbo"),
                            row.get("seconds"));
                    log.flush();
                }
                writeExamples(trainer, data.test(), spec.timesteps());
            }
        }
    }

    /** {@link #EXAMPLES}: positions {@code [n][T][2]}, true and MAP trees over the undirected edges. */
    private void writeExamples(Trainer trainer, NriData.Split split, int timesteps) throws IOException {
        int count = Math.min(EXAMPLE_COUNT, split.count());
        if (count == 0) {
            return;
        }
        int edges = NriGraph.undirectedEdges(NriSpec.VERTICES);
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = split.batch(scope, 0, count, timesteps);
            float[] tree = trainer.evaluate(new NDList(x)).get(2).toFloatArray();
            float[] positions = x.toFloatArray();
            List<Map<String, Object>> examples = new ArrayList<>();
            for (int e = 0; e < count; e++) {
                float[][][] p = new float[NriSpec.VERTICES][timesteps][NriSpec.DIMS];
                for (int v = 0; v < NriSpec.VERTICES; v++) {
                    for (int t = 0; t < timesteps; t++) {
                        for (int c = 0; c < NriSpec.DIMS; c++) {
                            p[v][t][c] = positions[((e * NriSpec.VERTICES + v) * timesteps + t) * NriSpec.DIMS + c];
                        }
                    }
                }
                int[] truth = new int[edges];
                int[] predicted = new int[edges];
                for (int i = 0; i < edges; i++) {
                    truth[i] = split.edges()[e * edges + i];
                    predicted[i] = tree[e * edges + i] > 0.5f ? 1 : 0;
                }
                examples.add(Map.of("positions", p, "truth", truth, "predicted", predicted));
            }
            RunDirectory.writeAtomically(
                    unit.dir().resolve(EXAMPLES), JSON.writeValueAsString(Map.of("examples", examples)));
        }
    }

    /** One training step; the loss (negative ELBO per trajectory). */
    static double step(Trainer trainer, NriLoss loss, NriData.Split split, int from, int n, int timesteps) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = split.batch(scope, from, n, timesteps);
            float value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList out = trainer.forward(new NDList(x));
                NDArray l = loss.evaluate(new NDList(x), out);
                value = l.getFloat();
                collector.backward(l);
            }
            trainer.step();
            return value;
        }
    }

    /** ELBO, edge precision and recall of the MAP trees over a split. */
    record Evaluation(double elbo, double precision, double recall) {}

    private static void putAll(Map<String, Double> row, String prefix, Evaluation e) {
        row.put(prefix + "_elbo", e.elbo());
        row.put(prefix + "_precision", e.precision());
        row.put(prefix + "_recall", e.recall());
    }

    /**
     * The mean ELBO (teacher forcing: one step predicted from every time step) and the edge metrics of
     * the MAP trees. The metrics follow the reference: with one edge type the model may learn "edge"
     * or "no edge" for the tree's edges, so precision and recall are computed for the tree read both
     * ways (its edges, and its complement), averaged per trajectory, and the reading with the higher
     * mean precision is reported.
     */
    static Evaluation evaluate(Trainer trainer, NriLoss loss, NriData.Split split, int timesteps) {
        double elbo = 0;
        double[] precision = new double[2];
        double[] recall = new double[2];
        int edges = NriGraph.undirectedEdges(NriSpec.VERTICES);
        for (int from = 0; from < split.count(); from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, split.count() - from);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = split.batch(scope, from, n, timesteps);
                NDList out = trainer.evaluate(new NDList(x));
                NDArray negative = loss.nll(x, out.get(0)).add(NriLoss.kl(out.get(1)));
                elbo -= negative.sum().getFloat();
                float[] tree = out.get(2).toFloatArray();
                for (int e = 0; e < n; e++) {
                    double[] m = metrics(tree, e * edges, split.edges(), (from + e) * edges, edges);
                    precision[0] += m[0];
                    recall[0] += m[1];
                    precision[1] += m[2];
                    recall[1] += m[3];
                }
            }
        }
        int count = Math.max(1, split.count());
        int reading = precision[1] > precision[0] ? 1 : 0;
        return new Evaluation(elbo / count, precision[reading] / count, recall[reading] / count);
    }

    /**
     * Precision and recall of one predicted tree against the true one, read as edges and as
     * non-edges: {@code {precision, recall, complement precision, complement recall}}.
     */
    static double[] metrics(float[] predicted, int p, byte[] truth, int t, int edges) {
        int truePositive = 0;
        int predictedCount = 0;
        int trueCount = 0;
        for (int i = 0; i < edges; i++) {
            boolean z = predicted[p + i] > 0.5f;
            boolean y = truth[t + i] != 0;
            predictedCount += z ? 1 : 0;
            trueCount += y ? 1 : 0;
            truePositive += z && y ? 1 : 0;
        }
        int complementPositive = trueCount - truePositive;
        int complementCount = edges - predictedCount;
        return new double[] {
            ratio(truePositive, predictedCount),
            ratio(truePositive, trueCount),
            ratio(complementPositive, complementCount),
            ratio(complementPositive, trueCount)
        };
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static void putEstimatorState(Map<String, Double> row, GradientEstimator estimator, NriSpec spec) {
        Map<String, Double> state = estimator.state();
        row.put("lambda", state.getOrDefault("lastLambda", spec.method().usesLambda() ? spec.lambda() : Double.NaN));
        row.put("alpha", state.getOrDefault("alpha", Double.NaN));
        row.put("gbar", state.getOrDefault("gbar", Double.NaN));
    }
}
