package dev.aimle.app.experiments.warcraft;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.app.harness.TrainingLoop;
import dev.aimle.app.harness.TrainingSession;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.Shuffles;
import dev.aimle.app.training.Steps;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.fy.FenchelYoungLoss;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.imle.NoiseScaledAimle;
import dev.aimle.estimators.layer.DiscreteBlock;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteTrainer;
import dev.aimle.estimators.noise.Noise;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One Warcraft run's training ({@link TrainingLoop} does the loop, the checkpoints and the
 * resumption): the reference's {@code DijkstraMAP} trainer (and its {@code Baseline}) on DJL, a row
 * per epoch with the noiseless metrics on the validation and the test split.
 *
 * <p><b>The step</b>, by method. DBB, IMLE, AIMLE: CombResNet18 gives costs θ {@code [B, k, k]}
 * (after {@code abs}); a {@link DiscreteBlock} samples paths through the solver (the shortest-path
 * solver counts the negative costs that noise and IMLE's targets make as 0, as the reference's
 * {@code np.maximum(w, 0)}: its {@code negative=clip}, which {@link WarcraftSpec#solverConfig()}
 * names); the Hamming loss to the true path;
 * {@link DiscreteTrainer}'s two-phase backward with the estimator, which reads the solver's {@code
 * MINIMISE} sense (targets along {@code +λ·dL/dz}, the estimate's sign flipped: the reference's
 * {@code _is_minimization}). STE: the same; it too reads the sense ({@code g = -dL/dz} for a
 * minimiser, where the reference's STE passes {@code +dL/dz} and so trains the wrong way). Fenchel-Young: θ into
 * {@link FenchelYoungLoss} with the true path as target (standard normal noise). Baseline: a
 * ResNet-18's {@code k*k} logits, binary cross-entropy (mean over cells and maps), the cells of
 * positive logits as the suggestion. Adam with the spec's step size, divided by 10 at its milestones
 * (the reference steps its scheduler per epoch; here the schedule reads Adam's update count, which
 * the checkpoint holds, so a resumed run follows it).
 *
 * <p><b>Evaluation</b> is noiseless: the solver on the model's θ (the reference's {@code
 * map_estimator} in {@code eval()} mode, batch norm on running statistics), or the baseline's
 * rounded sigmoid.
 *
 * <p>Batch order: epoch e visits the training maps in a permutation drawn from {@code (seed, e)}, in
 * batches of {@code batchSize} with a smaller last batch, as the reference's iterator. The
 * Fenchel-Young noise stream draws once per step, so a resumed run restarts it at its step count.
 */
final class WarcraftSession implements TrainingSession {
    /** The test maps drawn with their paths after the last epoch. */
    static final int EXAMPLES = 4;
    /** The figure of {@link #EXAMPLES} test maps, in the run directory. */
    static final String EXAMPLES_PNG = "test-paths.png";

    private final Path dir;
    private final WarcraftSpec spec;
    private final WarcraftSplit train;
    private final WarcraftSplit val;
    private final WarcraftSplit test;
    private final MapSolver solver;
    private final double[] statistics;
    private final int grid;
    private final int trainCount;
    private final int stepsPerEpoch;
    private final Model model;
    private final GradientEstimator estimator;
    private final FenchelYoungLoss fenchelYoung;
    private final ResumableAdam adam;
    private final Loss loss;

    /**
     * Builds the model and initialises it from the seed.
     *
     * @param dir the run directory (for the figure of test paths), or null for none
     * @param solver the shortest-path oracle, {@code sense() == MINIMISE}, on {@code [B, k, k]} costs
     * @throws IllegalArgumentException when the solver maximises or there are no training maps
     */
    WarcraftSession(Path dir, WarcraftSpec spec, WarcraftData.Splits data, MapSolver solver) {
        this.dir = dir;
        this.spec = Objects.requireNonNull(spec, "spec");
        this.train = data.train();
        this.val = data.val();
        this.test = data.test();
        if (solver.sense() != MapSolver.Sense.MINIMISE) {
            throw new IllegalArgumentException("solver '" + solver.name() + "' maximises; the Warcraft experiment needs"
                    + " a shortest-path solver (sense MINIMISE). Maybe: --solver shortest-path");
        }
        this.solver = solver;
        this.grid = train.grid();
        this.trainCount = spec.trainLimit() == 0 ? train.size() : Math.min(spec.trainLimit(), train.size());
        if (trainCount == 0) {
            throw new IllegalArgumentException("the training split has no maps");
        }
        this.stepsPerEpoch = (trainCount + spec.batchSize() - 1) / spec.batchSize();
        this.statistics = train.channelStatistics();
        WarcraftMethod method = spec.method();
        this.estimator = method.usesDiscreteLayer() ? estimator(spec) : null;
        DiscreteLayer layer = estimator == null ? null : layer(spec, estimator, this.solver, grid);
        this.fenchelYoung = method == WarcraftMethod.FENCHEL_YOUNG
                ? FenchelYoungLoss.builder()
                        .solver(this.solver)
                        .sigma(spec.fySigma())
                        .samples(spec.fySamples())
                        .seed(spec.seed())
                        .build()
                : null;
        this.loss = switch (method) {
            case FENCHEL_YOUNG -> fenchelYoung.asDjlLoss("fenchel-young");
            case BASELINE -> new BinaryCrossEntropy();
            default -> new Hamming();
        };
        // the update count t is 1-based and counts steps; the step size drops after whole epochs
        this.adam = new ResumableAdam(t -> spec.learningRateAfter((t - 1) / stepsPerEpoch), 0.9f, 0.999f, 1e-8f);
        this.model = Model.newInstance("warcraft-" + spec.id());
        boolean done = false;
        try {
            Block block = block(method, layer, grid);
            model.setBlock(block);
            Engine.getInstance().setRandomSeed((int) spec.seed());
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, train.imageSide(), train.imageSide()));
            done = true;
        } finally {
            if (!done) {
                model.close();
            }
        }
    }

    /** The estimator of a discrete-layer method. */
    static GradientEstimator estimator(WarcraftSpec spec) {
        return switch (spec.method()) {
            case DBB, IMLE_FORWARD ->
                Estimators.imle().lambda(spec.lambda()).forward().build();
            case IMLE_CENTRAL ->
                Estimators.imle().lambda(spec.lambda()).central().build();
            case AIMLE_FORWARD, AIMLE_CENTRAL -> {
                Aimle.Builder builder = Estimators.aimle()
                        .target(spec.aimleTarget())
                        .targetUnit(
                                Aimle.TargetUnit.valueOf(spec.aimleTargetUnit().toUpperCase(Locale.ROOT)))
                        .alpha0(spec.aimleAlpha0())
                        .eta(spec.aimleEta());
                yield (spec.method() == WarcraftMethod.AIMLE_CENTRAL ? builder.central() : builder.forward()).build();
            }
            case AIMLE_NOISE_SCALED_FORWARD -> NoiseScaledAimle.of("forward");
            case AIMLE_NOISE_SCALED_CENTRAL -> NoiseScaledAimle.of("central");
            case STE -> Estimators.ste();
            case FENCHEL_YOUNG, BASELINE ->
                throw new IllegalArgumentException(
                        "method " + spec.method() + " does not train through a discrete layer");
        };
    }

    /**
     * The discrete layer of a method over a minimising solver that takes negative costs.
     */
    static DiscreteLayer layer(WarcraftSpec spec, GradientEstimator estimator, MapSolver solver, int grid) {
        NoiseDistribution noise = switch (spec.noise()) {
            case "gumbel" -> Noise.gumbel();
            // the reference's k = int(1.3 * grid side), 10 terms
            case "sum-of-gamma" -> Noise.sumOfGamma(Math.max(1, (int) (1.3 * grid)), 10);
            default -> Noise.none();
        };
        return DiscreteLayer.builder()
                .solver(solver)
                .noise(noise)
                .estimator(estimator)
                .samples(spec.samples())
                .inputTemperature(spec.temperature())
                .targetTemperature(spec.temperature())
                .seed(spec.seed())
                .build();
    }

    private static Block block(WarcraftMethod method, DiscreteLayer layer, int grid) {
        if (method == WarcraftMethod.BASELINE) {
            return WarcraftModels.resNet18Baseline(grid * grid);
        }
        Block costs = WarcraftModels.combResNet18(grid);
        if (layer == null) {
            return costs;
        }
        return new SequentialBlock().add(costs).add(DiscreteBlock.of(layer));
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
        return loss;
    }

    @Override
    public boolean discrete() {
        return spec.method().usesDiscreteLayer();
    }

    /** Training steps per epoch (the last batch may be smaller). */
    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public Batches batches(int epoch, long step) {
        if (fenchelYoung != null) {
            fenchelYoung.restoreDraws(step); // one draw per training step
        }
        int[] order = Shuffles.epochOrder(trainCount, spec.seed(), epoch);
        int size = spec.batchSize();
        return new Batches() {
            @Override
            public int count() {
                return stepsPerEpoch;
            }

            @Override
            public Batch get(int index, NDManager manager) {
                int from = index * size;
                int[] indices = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + size));
                return batch(manager, indices);
            }
        };
    }

    /** The training maps at {@code indices} and their true paths, in {@code manager}. */
    Batch batch(NDManager manager, int[] indices) {
        int b = indices.length;
        int side = train.imageSide();
        NDArray x = HostArrays.create(manager, train.images(indices, statistics), new Shape(b, 3, side, side));
        NDArray y = HostArrays.create(manager, train.paths(indices), new Shape(b, grid, grid));
        return Steps.batch(manager, new NDList(x), new NDList(y));
    }

    @Override
    public void evaluate(Trainer trainer, int epoch, Map<String, Double> row, List<Map<String, Double>> previous) {
        row.put("epoch", (double) epoch);
        put(row, "val", evaluate(trainer, val, null));
        put(row, "test", evaluate(trainer, test, null));
    }

    private static void put(Map<String, Double> row, String prefix, PathMetrics m) {
        row.put(prefix + "_perfect_match", m.perfectMatch());
        row.put(prefix + "_cost_ratio", m.costRatio());
        row.put(prefix + "_cell_accuracy", m.cellAccuracy());
        row.put(prefix + "_valid", m.validShare());
    }

    @Override
    public GradientEstimator estimator() {
        return estimator;
    }

    @Override
    public String describe(int epoch, Map<String, Double> row) {
        return String.format(
                Locale.ROOT,
                "epoch %d/%d: train loss %.4f, validation perfect match %.3f, cost ratio %.4f; test perfect match %.3f"
                        + " (%.1f s)",
                epoch,
                spec.epochs(),
                row.get("train_loss"),
                row.get("val_perfect_match"),
                row.get("val_cost_ratio"),
                row.get("test_perfect_match"),
                row.get("seconds"));
    }

    /** Draws the first test maps with their true and suggested paths. */
    @Override
    public void finish(Trainer trainer) throws IOException {
        if (dir == null || test.size() == 0) {
            return;
        }
        int n = Math.min(EXAMPLES, test.size());
        float[] suggested = new float[n * grid * grid];
        int[] filled = {0};
        evaluate(
                trainer,
                test,
                s -> {
                    System.arraycopy(s, 0, suggested, filled[0], s.length);
                    filled[0] += s.length;
                },
                n);
        PathFigure.write(dir.resolve(EXAMPLES_PNG), test, n, suggested);
    }

    /** The noiseless metrics of the model on a split (its first {@code evalLimit} maps). */
    PathMetrics evaluate(Trainer trainer, WarcraftSplit split, java.util.function.Consumer<float[]> suggestions) {
        int count = spec.evalLimit() == 0 ? split.size() : Math.min(spec.evalLimit(), split.size());
        return evaluate(trainer, split, suggestions, count);
    }

    private PathMetrics evaluate(
            Trainer trainer, WarcraftSplit split, java.util.function.Consumer<float[]> suggestions, int count) {
        PathMetrics total = PathMetrics.empty();
        int side = split.imageSide();
        for (int from = 0; from < count; from += spec.batchSize()) {
            int b = Math.min(spec.batchSize(), count - from);
            int[] indices = new int[b];
            for (int i = 0; i < b; i++) {
                indices[i] = from + i;
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = HostArrays.create(scope, split.images(indices, statistics), new Shape(b, 3, side, side));
                NDArray out = trainer.evaluate(new NDList(x)).singletonOrThrow();
                float[] suggested = switch (spec.method()) {
                    case FENCHEL_YOUNG -> solver.solveOnHost(out.toFloatArray(), out.getShape(), scope);
                    case BASELINE -> positive(out.toFloatArray());
                    default -> out.toFloatArray();
                };
                if (suggestions != null) {
                    suggestions.accept(suggested);
                }
                total = total.plus(PathMetrics.of(split.weights(indices), split.paths(indices), suggested, grid));
            }
        }
        return total;
    }

    /** The Hamming loss of sampled paths {@code [B*S, k, k]} to the true paths {@code [B, k, k]}. */
    static final class Hamming extends Loss {
        Hamming() {
            super("hamming");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray z = predictions.singletonOrThrow();
            return PathMetrics.hammingLoss(z, SampleLayout.repeatLike(labels.head(), z));
        }
    }

    /**
     * The baseline's loss: binary cross-entropy of logits {@code [B, k*k]} against the true cells,
     * mean over every entry: {@code max(x,0) - x·y + log(1 + e^-|x|)}.
     */
    static final class BinaryCrossEntropy extends Loss {
        BinaryCrossEntropy() {
            super("binary-cross-entropy");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.singletonOrThrow();
            NDArray y = labels.head().reshape(logits.getShape());
            return Scalars.maximum(logits, 0)
                    .sub(logits.mul(y))
                    .add(logits.abs().neg().exp().add(1).log())
                    .mean();
        }
    }

    private static float[] positive(float[] logits) {
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] > 0 ? 1 : 0;
        }
        return out;
    }
}
