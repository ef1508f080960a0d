package dev.aimle.app.experiments.nri;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.MapSolver;
import dev.aimle.api.Perturbation;
import dev.aimle.app.harness.TrainingLoop;
import dev.aimle.app.harness.TrainingSession;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.Steps;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.noise.Noise;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One NRI run's training ({@link TrainingLoop} does the loop): a row every {@code evalEvery} steps.
 * Training reads the training set in order, batch after batch, epoch after epoch (the reference's
 * unshuffled loader), so the step number alone says which batch comes next; then the ELBO and the
 * edge metrics on the validation and test sets. After the last row, {@code examples.json} holds a
 * few test trajectories with their true and recovered trees.
 */
final class NriSession implements TrainingSession {
    /** A few test trajectories with their true and recovered trees, written when the run is complete. */
    public static final String EXAMPLES = "examples.json";
    /** Trajectories in {@link #EXAMPLES}. */
    static final int EXAMPLE_COUNT = 4;

    /** The row's column of the test edge precision of Gumbel-perturbed trees (the reference's metric). */
    static final String SAMPLED_PRECISION = "test_precision_sampled";
    /** The row's column of the test edge recall of Gumbel-perturbed trees. */
    static final String SAMPLED_RECALL = "test_recall_sampled";

    /** Trajectories per evaluation batch (the reference's eval batch size). */
    static final int EVAL_BATCH = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final NriSpec spec;
    private final NriData data;
    private final ResumableAdam adam;
    private final NriLoss loss;
    private final Model holder;
    private final DiscreteLayer layer;

    /**
     * @param dir the run directory, for {@link #EXAMPLES}
     * @param data the trajectories (already limited to the spec's sizes)
     * @param solver the spanning-tree MAP solver
     */
    NriSession(Path dir, NriSpec spec, NriData data, MapSolver solver) {
        if (data.timesteps() != spec.timesteps()) {
            throw new IllegalArgumentException(
                    "the data has T = " + data.timesteps() + ", the run wants T = " + spec.timesteps());
        }
        this.dir = dir;
        this.spec = spec;
        this.data = data;
        int trainCount = data.train().count();
        this.adam = new ResumableAdam(t -> spec.learningRateAt(t, trainCount), 0.9f, 0.999f, 1e-8f);
        this.loss = new NriLoss(spec.variance());
        this.holder = Model.newInstance("nri-" + spec.id());
        this.layer = NriExperiment.model(spec, solver, holder).layer();
    }

    @Override
    public Model model() {
        return holder;
    }

    @Override
    public ResumableAdam optimizer() {
        return adam;
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public boolean discrete() {
        return true;
    }

    @Override
    public Batches batches(int row, long step) {
        int trainCount = data.train().count();
        int batchesPerEpoch = (trainCount + spec.batchSize() - 1) / spec.batchSize();
        return new Batches() {
            @Override
            public int count() {
                return spec.evalEvery();
            }

            @Override
            public Batch get(int index, NDManager manager) {
                int from = (int) ((step + index) % batchesPerEpoch) * spec.batchSize();
                int n = Math.min(spec.batchSize(), trainCount - from);
                NDArray x = data.train().batch(manager, from, n, spec.timesteps());
                return Steps.batch(manager, new NDList(x), new NDList(x));
            }
        };
    }

    @Override
    public void evaluate(Trainer trainer, int row, Map<String, Double> values, List<Map<String, Double>> previous) {
        putAll(values, "valid", evaluate(trainer, loss, data.valid(), spec.timesteps()));
        Evaluation test = evaluate(
                trainer,
                loss,
                data.test(),
                spec.timesteps(),
                layer.perturbation().solver(),
                spec.seed() * 1_000_003L + row);
        putAll(values, "test", test);
        values.put(SAMPLED_PRECISION, test.sampledPrecision());
        values.put(SAMPLED_RECALL, test.sampledRecall());
    }

    @Override
    public GradientEstimator estimator() {
        return layer.estimator();
    }

    @Override
    public String describe(int row, Map<String, Double> values) {
        return String.format(
                Locale.ROOT,
                "step %d/%d: train loss %.1f, validation ELBO %.1f (precision %.1f, recall %.1f), test ELBO %.1f"
                        + " (%.1f s)",
                values.get("step").longValue(),
                spec.iterations(),
                values.get("train_loss"),
                values.get("valid_elbo"),
                100 * values.get("valid_precision"),
                100 * values.get("valid_recall"),
                values.get("test_elbo"),
                values.get("seconds"));
    }

    @Override
    public void finish(Trainer trainer) throws IOException {
        writeExamples(trainer, data.test(), spec.timesteps());
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
            RunDirectory.writeAtomically(dir.resolve(EXAMPLES), JSON.writeValueAsString(Map.of("examples", examples)));
        }
    }

    /**
     * ELBO, edge precision and recall of the MAP trees over a split; the edge precision and recall of
     * Gumbel-perturbed trees (the paper's reference's edge metrics), NaN when not computed.
     */
    record Evaluation(double elbo, double precision, double recall, double sampledPrecision, double sampledRecall) {}

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
        return evaluate(trainer, loss, split, timesteps, null, 0);
    }

    /**
     * As {@link #evaluate(Trainer, NriLoss, NriData.Split, int)}, with the edge metrics of one
     * perturbed tree per trajectory as well, {@code MAP(theta + G)} with standard Gumbel noise G:
     * the reference computes its edge metrics on such a sample, whatever the method's training noise,
     * while its ELBO uses the MAP tree. The noise comes from a generator of {@code seed}, not from
     * the layer's stream, so training is unchanged.
     *
     * @param solver the spanning-tree solver, or null for the MAP metrics only
     */
    static Evaluation evaluate(
            Trainer trainer, NriLoss loss, NriData.Split split, int timesteps, MapSolver solver, long seed) {
        double elbo = 0;
        double[] precision = new double[2];
        double[] recall = new double[2];
        double[] sampledPrecision = new double[2];
        double[] sampledRecall = new double[2];
        SplittableRandom random = new SplittableRandom(seed);
        int edges = NriGraph.undirectedEdges(NriSpec.VERTICES);
        for (int from = 0; from < split.count(); from += EVAL_BATCH) {
            int n = Math.min(EVAL_BATCH, split.count() - from);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = split.batch(scope, from, n, timesteps);
                NDList out = trainer.evaluate(new NDList(x));
                NDArray negative = loss.nll(x, out.get(0)).add(NriLoss.kl(out.get(1)));
                elbo -= negative.sum().getFloat();
                accumulate(out.get(2).toFloatArray(), split, from, n, precision, recall);
                if (solver != null) {
                    Perturbation gumbel = new Perturbation(solver, Noise.gumbel(), 1, 1, 1);
                    float[] sampled = DiscreteLayer.perturbedMap(out.get(1), null, gumbel, random)
                            .toFloatArray();
                    accumulate(sampled, split, from, n, sampledPrecision, sampledRecall);
                }
            }
        }
        int count = Math.max(1, split.count());
        int reading = precision[1] > precision[0] ? 1 : 0;
        int sampledReading = sampledPrecision[1] > sampledPrecision[0] ? 1 : 0;
        return new Evaluation(
                elbo / count,
                precision[reading] / count,
                recall[reading] / count,
                solver == null ? Double.NaN : sampledPrecision[sampledReading] / count,
                solver == null ? Double.NaN : sampledRecall[sampledReading] / count);
    }

    /** Adds each tree's precision and recall, read both ways, for trajectories from .. from + n. */
    private static void accumulate(
            float[] trees, NriData.Split split, int from, int n, double[] precision, double[] recall) {
        int edges = NriGraph.undirectedEdges(NriSpec.VERTICES);
        for (int e = 0; e < n; e++) {
            double[] m = metrics(trees, e * edges, split.edges(), (from + e) * edges, edges);
            precision[0] += m[0];
            recall[0] += m[1];
            precision[1] += m[2];
            recall[1] += m[3];
        }
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
}
