package dev.aimle.app.experiments.l2x;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.app.harness.TrainingLoop;
import dev.aimle.app.harness.TrainingSession;
import dev.aimle.app.io.RunDirectory;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.Shuffles;
import dev.aimle.app.training.Steps;
import dev.aimle.estimators.layer.DiscreteBlock;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.estimators.relaxed.RelaxedSubsetBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One learning-to-explain run's training ({@link TrainingLoop} does the loop): a row per epoch over
 * a fresh permutation of the training reviews, then the validation and test MSE and the subset
 * precision of the MAP selections (noiseless, no dropout). A checkpoint holds the selector's noise
 * stream and estimator state and the dropout stream too. {@code best.json} holds the selections of
 * the first annotated reviews at the epoch of lowest validation MSE so far (the epoch the reference
 * keeps as its checkpoint).
 */
public final class L2xSession implements TrainingSession {
    /** The selections at the best validation epoch. */
    public static final String BEST_JSON = "best.json";
    /** Annotated reviews whose selections {@code best.json} keeps. */
    static final int SHOWN = 8;

    private static final int EVAL_BATCH = 200;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final L2xSpec spec;
    private final L2xData data;
    private final Selector selector;
    private final ResumableAdam adam;
    private final Model model;
    private final L2xModel.SquaredError mse = new L2xModel.SquaredError();

    /**
     * @param dir the run directory, for {@link #BEST_JSON}
     * @param solver top-k with {@code k = spec.k()}
     */
    L2xSession(Path dir, L2xSpec spec, L2xData data, MapSolver solver) {
        this.dir = dir;
        this.spec = spec;
        this.data = data;
        this.selector = selector(spec, solver);
        // the reference: Adam with epsilon 1e-7 (the Keras default its setting comes from)
        this.adam = new ResumableAdam((float) spec.learningRate(), 0.9f, 0.999f, 1e-7f);
        this.model = Model.newInstance("l2x-" + spec.id());
        L2xModel block = model(spec, selector.block());
        model.setBlock(block);
        Engine.getInstance().setRandomSeed((int) spec.seed());
        Shape embeddings = new Shape(spec.batchSize(), data.maxLength(), data.dimensions());
        block.initialize(
                model.getNDManager(), DataType.FLOAT32, embeddings, new Shape(spec.batchSize(), data.maxLength()));
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
        return mse;
    }

    /**
     * A relaxation is plain autograd (DJL's own trainer); a discrete layer needs the two-phase one, and
     * so does a fixed explainer, whose explainer takes no part in the loss (the two-phase trainer
     * steps parameters without a gradient as zero).
     */
    @Override
    public boolean discrete() {
        return selector.estimator() != null || spec.method().fixed();
    }

    @Override
    public Batches batches(int epoch, long step) {
        int[] order = Shuffles.epochOrder(data.train().size(), spec.seed(), epoch);
        int size = spec.batchSize();
        return new Batches() {
            @Override
            public int count() {
                return order.length / size;
            }

            @Override
            public Batch get(int b, NDManager manager) {
                int[] index = new int[size];
                System.arraycopy(order, b * size, index, 0, size);
                return Steps.batch(
                        manager,
                        inputs(manager, spec, data, data.train(), index),
                        new NDList(scores(manager, data.train(), index)));
            }
        };
    }

    @Override
    public void evaluate(Trainer trainer, int epoch, Map<String, Double> row, List<Map<String, Double>> previous)
            throws IOException {
        row.put("epoch", (double) epoch);
        row.put("validation_mse", meanSquaredError(trainer, spec, data, data.validation()));
        row.put("test_mse", meanSquaredError(trainer, spec, data, data.test()));
        float[][] selections = selections(trainer, spec, data);
        row.put("subset_precision", SubsetPrecision.of(data.annotated(), selections, spec.k()));
        double best = previous.stream()
                .mapToDouble(r -> r.get("validation_mse"))
                .min()
                .orElse(Double.POSITIVE_INFINITY);
        if (row.get("validation_mse") <= best) {
            writeBest(epoch, data, selections);
        }
    }

    @Override
    public GradientEstimator estimator() {
        return selector.estimator();
    }

    @Override
    public String describe(int epoch, Map<String, Double> row) {
        return String.format(
                Locale.ROOT,
                "epoch %d/%d: train %.5f, validation MSE %.5f, test MSE %.5f, subset precision %.4f (%.1f s)",
                epoch,
                spec.epochs(),
                row.get("train_loss"),
                row.get("validation_mse"),
                row.get("test_mse"),
                row.get("subset_precision"),
                row.get("seconds"));
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
        if (spec.method().fixed()) {
            // the fixed explainer's selection comes in where the selectable mask goes, and is returned
            return new Selector(new LambdaBlock(in -> new NDList(in.get(1))), null);
        }
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
     * {@code [embeddings, selectable]} of some reviews; for a fixed explainer, {@code [embeddings,
     * its selection]}.
     */
    static NDList inputs(NDManager manager, L2xSpec spec, L2xData data, L2xData.Split split, int[] index) {
        NDArray embeddings = HostArrays.create(
                manager, data.embed(split.ids(), index), new Shape(index.length, data.maxLength(), data.dimensions()));
        Shape shape = new Shape(index.length, data.maxLength());
        NDArray second = spec.method().fixed()
                ? manager.create(FixedExplainer.select(spec.method(), spec.seed(), data, split, index, spec.k()), shape)
                : manager.create(data.selectable(split.lengths(), index, spec.k()), shape);
        return new NDList(embeddings, second);
    }

    private static NDArray scores(NDManager manager, L2xData.Split split, int[] index) {
        float[] y = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            y[i] = split.scores()[index[i]];
        }
        return manager.create(y);
    }

    /** The noiseless MSE over a whole split (MAP selection, no dropout). */
    static double meanSquaredError(Trainer trainer, L2xSpec spec, L2xData data, L2xData.Split split) {
        double sum = 0;
        for (int from = 0; from < split.size(); from += EVAL_BATCH) {
            int[] index = range(from, Math.min(split.size(), from + EVAL_BATCH));
            try (NDManager scope = trainer.getManager().newSubManager()) {
                float[] p = trainer.evaluate(inputs(scope, spec, data, split, index))
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
    static float[][] selections(Trainer trainer, L2xSpec spec, L2xData data) {
        L2xData.Split split = data.annotatedSplit();
        float[][] out = new float[split.size()][];
        for (int from = 0; from < split.size(); from += EVAL_BATCH) {
            int[] index = range(from, Math.min(split.size(), from + EVAL_BATCH));
            try (NDManager scope = trainer.getManager().newSubManager()) {
                float[] z = trainer.evaluate(inputs(scope, spec, data, split, index))
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
        RunDirectory.writeAtomically(dir.resolve(BEST_JSON), JSON.writeValueAsString(best));
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
}
