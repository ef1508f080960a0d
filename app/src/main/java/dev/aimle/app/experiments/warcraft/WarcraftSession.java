package dev.aimle.app.experiments.warcraft;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.aimle.api.GradientEstimator;
import dev.aimle.api.HostArrays;
import dev.aimle.api.MapSolver;
import dev.aimle.api.NoiseDistribution;
import dev.aimle.app.training.ResumableAdam;
import dev.aimle.app.training.TrainingCheckpoint;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.fy.FenchelYoungLoss;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.layer.DiscreteBlock;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteTrainer;
import dev.aimle.estimators.noise.Noise;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One Warcraft run unit ({@link WarcraftSpec}) on its data and a shortest-path solver: the
 * reference's {@code DijkstraMAP} trainer (and its {@code Baseline}) on DJL, one epoch at a time,
 * each epoch a row of metrics ({@link EpochRow}) on the training batches, the validation and the
 * test split. Checkpoints ({@link #save}) hold the parameters, Adam's state, the discrete layer's
 * noise stream and estimator state and the epochs done; a session opened on a checkpoint continues
 * with the same numbers as one that never stopped (tested).
 *
 * <p><b>The step</b>, by method. DBB, IMLE, AIMLE: CombResNet18 gives costs θ {@code [B, k, k]}
 * (after {@code abs}); a {@link DiscreteBlock} samples paths through the solver (raising negative
 * costs to 0 as the reference: {@link CostSolvers#nonNegative}); the Hamming loss to the true path;
 * {@link DiscreteTrainer}'s two-phase backward with the estimator, which reads the solver's
 * {@code MINIMISE} sense (targets along {@code +λ·dL/dz}, the estimate's sign flipped: the
 * reference's {@code _is_minimization}). STE: the same through the negated costs and a maximising
 * view of the solver ({@link CostSolvers#maximising}), because STE ignores the sense. Fenchel-Young:
 * θ into {@link FenchelYoungLoss} with the true path as target (standard normal noise). Baseline:
 * a ResNet-18's {@code k*k} logits, binary cross-entropy (mean over cells and maps), the cells of
 * positive logits as the suggestion. Adam with the spec's step size, divided by 10 at its
 * milestones (counted in steps of the epoch length: the reference steps its scheduler per epoch).
 *
 * <p><b>Evaluation</b> is noiseless: the solver on the model's θ (the reference's {@code
 * map_estimator} in {@code eval()} mode, batch norm on running statistics), or the baseline's
 * rounded sigmoid.
 *
 * <p>Batch order: epoch e visits the training maps in a permutation drawn from {@code (seed, e)}, in
 * batches of {@code batchSize} with a smaller last batch, as the reference's iterator. The engine's
 * random seed is set from the spec's before the parameters are initialised (DJL's engine seed is
 * process-wide: one session per process, as the harness runs them).
 */
public final class WarcraftSession implements AutoCloseable {
    private static final String STATE_FILE = "session.properties";

    private final WarcraftSpec spec;
    private final WarcraftSplit train;
    private final WarcraftSplit val;
    private final WarcraftSplit test;
    private final MapSolver solver;
    private final double[] statistics;
    private final int grid;
    private final int trainCount;
    private final Model model;
    private final Block block;
    private final DiscreteLayer layer;
    private final GradientEstimator estimator;
    private final FenchelYoungLoss fenchelYoung;
    private final ResumableAdam adam;
    private final Trainer trainer;
    private int epochsDone;
    private long skippedBefore;

    /**
     * A metrics row of one epoch.
     *
     * @param epoch 1-based
     * @param trainLoss the mean loss of the training steps (Hamming, Fenchel-Young or cross-entropy)
     * @param train the metrics of the training steps' suggestions (the samples the loss saw)
     * @param val the noiseless metrics on the validation split after the epoch
     * @param test the same on the test split
     * @param lambda the last λ of AIMLE, the fixed λ of IMLE/DBB, else NaN
     * @param alpha AIMLE's α, else NaN
     * @param skippedSteps steps skipped because every gradient was zero, so far
     * @param seconds the wall time of the epoch with its evaluation
     */
    public record EpochRow(
            int epoch,
            double trainLoss,
            PathMetrics train,
            PathMetrics val,
            PathMetrics test,
            double lambda,
            double alpha,
            long skippedSteps,
            double seconds) {

        /** The row as named numbers, for a CSV: {@code epoch, train_loss, train_perfect_match, ...}. */
        public Map<String, Double> toMap() {
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("epoch", (double) epoch);
            row.put("train_loss", trainLoss);
            put(row, "train", train);
            put(row, "val", val);
            put(row, "test", test);
            row.put("lambda", lambda);
            row.put("alpha", alpha);
            row.put("skipped_steps", (double) skippedSteps);
            row.put("seconds", seconds);
            return row;
        }

        private static void put(Map<String, Double> row, String prefix, PathMetrics m) {
            row.put(prefix + "_perfect_match", m.perfectMatch());
            row.put(prefix + "_cost_ratio", m.costRatio());
            row.put(prefix + "_cell_accuracy", m.cellAccuracy());
            row.put(prefix + "_valid", m.validShare());
        }
    }

    /**
     * Opens a session: builds the model, initialises it from the seed or restores it from {@code
     * checkpoint}.
     *
     * @param solver the shortest-path oracle, {@code sense() == MINIMISE}, on {@code [B, k, k]} costs
     * @param checkpoint a directory {@link #save} wrote, or null to start
     * @throws IllegalArgumentException when the solver maximises
     * @throws IOException when the checkpoint cannot be read or does not fit
     */
    public WarcraftSession(WarcraftSpec spec, WarcraftData.Splits data, MapSolver solver, Path checkpoint)
            throws IOException {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.train = data.train();
        this.val = data.val();
        this.test = data.test();
        if (solver.sense() != MapSolver.Sense.MINIMISE) {
            throw new IllegalArgumentException("solver '" + solver.name() + "' maximises; the Warcraft experiment needs"
                    + " a shortest-path solver (sense MINIMISE). Maybe: solver shortest-path");
        }
        this.solver = CostSolvers.nonNegative(solver);
        this.grid = train.grid();
        this.trainCount = spec.trainLimit() == 0 ? train.size() : Math.min(spec.trainLimit(), train.size());
        if (trainCount == 0) {
            throw new IllegalArgumentException("the training split has no maps");
        }
        this.statistics = train.channelStatistics();
        WarcraftMethod method = spec.method();
        this.estimator = method.usesDiscreteLayer() ? estimator(spec) : null;
        this.layer = estimator == null ? null : layer(spec, estimator, this.solver, grid);
        this.fenchelYoung = method == WarcraftMethod.FENCHEL_YOUNG
                ? FenchelYoungLoss.builder()
                        .solver(this.solver)
                        .sigma(spec.fySigma())
                        .samples(spec.fySamples())
                        .seed(spec.seed())
                        .build()
                : null;
        this.block = block(method, layer, grid);
        int stepsPerEpoch = (trainCount + spec.batchSize() - 1) / spec.batchSize();
        this.adam = new ResumableAdam(t -> spec.learningRateAfter((t - 1) / stepsPerEpoch), 0.9f, 0.999f, 1e-8f);
        this.model = Model.newInstance("warcraft-" + method.id());
        boolean done = false;
        try {
            model.setBlock(block);
            Engine.getInstance().setRandomSeed((int) spec.seed());
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, train.imageSide(), train.imageSide()));
            if (checkpoint != null) {
                TrainingCheckpoint.restore(checkpoint, block, model.getNDManager(), adam);
                restoreState(checkpoint);
            }
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam);
            this.trainer = method.usesDiscreteLayer() ? new DiscreteTrainer(model, config) : model.newTrainer(config);
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
                        .targetUnit(Aimle.TargetUnit.INSTANCE)
                        .alpha0(spec.aimleAlpha0())
                        .eta(spec.aimleEta());
                yield (spec.method() == WarcraftMethod.AIMLE_CENTRAL ? builder.central() : builder.forward()).build();
            }
            case STE -> Estimators.ste();
            case FENCHEL_YOUNG, BASELINE ->
                throw new IllegalArgumentException(
                        "method " + spec.method() + " does not train through a discrete layer");
        };
    }

    /**
     * The discrete layer of a method over a non-negative minimising solver: STE gets the maximising
     * view (its block negates the costs first).
     */
    static DiscreteLayer layer(WarcraftSpec spec, GradientEstimator estimator, MapSolver nonNegativeSolver, int grid) {
        NoiseDistribution noise = switch (spec.noise()) {
            case "gumbel" -> Noise.gumbel();
            // the reference's k = int(1.3 * grid side), 10 terms
            case "sum-of-gamma" -> Noise.sumOfGamma(Math.max(1, (int) (1.3 * grid)), 10);
            default -> Noise.none();
        };
        return DiscreteLayer.builder()
                .solver(
                        spec.method() == WarcraftMethod.STE
                                ? CostSolvers.maximising(nonNegativeSolver)
                                : nonNegativeSolver)
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
        SequentialBlock out = new SequentialBlock().add(costs);
        if (method == WarcraftMethod.STE) {
            out.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().neg()), "negate"));
        }
        return out.add(DiscreteBlock.of(layer));
    }

    /** The spec. */
    public WarcraftSpec spec() {
        return spec;
    }

    /** Epochs trained so far. */
    public int epochsDone() {
        return epochsDone;
    }

    /** The model's block (the cost model, with the discrete block when the method has one). */
    public Block block() {
        return block;
    }

    /** Trains every remaining epoch, handing each row to {@code onEpoch} as it is done. */
    public List<EpochRow> run(Consumer<EpochRow> onEpoch) {
        List<EpochRow> rows = new ArrayList<>();
        while (epochsDone < spec.epochs()) {
            EpochRow row = trainEpoch();
            rows.add(row);
            onEpoch.accept(row);
        }
        return rows;
    }

    /** Trains one epoch, evaluates on the validation and test splits, and returns the row. */
    public EpochRow trainEpoch() {
        long start = System.nanoTime();
        int epoch = epochsDone + 1;
        int[] order = permutation(trainCount, new SplittableRandom(spec.seed() * 1_000_003L + epoch));
        double lossSum = 0;
        int maps = 0;
        PathMetrics trainMetrics = PathMetrics.empty();
        for (int from = 0; from < order.length; from += spec.batchSize()) {
            int[] batch = Arrays.copyOfRange(order, from, Math.min(order.length, from + spec.batchSize()));
            StepResult result = step(batch);
            lossSum += result.loss() * batch.length;
            maps += batch.length;
            trainMetrics = trainMetrics.plus(result.metrics());
        }
        epochsDone = epoch;
        PathMetrics valMetrics = evaluate(val);
        PathMetrics testMetrics = evaluate(test);
        Map<String, Double> state = estimator == null ? Map.of() : estimator.state();
        double lambda = state.getOrDefault("lastLambda", spec.method().usesLambda() ? spec.lambda() : Double.NaN);
        return new EpochRow(
                epoch,
                lossSum / maps,
                trainMetrics,
                valMetrics,
                testMetrics,
                lambda,
                state.getOrDefault("alpha", Double.NaN),
                skippedSteps(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Steps skipped because every gradient was zero, over the whole run (resumed runs included). */
    public long skippedSteps() {
        return skippedBefore + (trainer instanceof DiscreteTrainer d ? d.skippedSteps() : 0);
    }

    /** What a training step reports. */
    record StepResult(double loss, PathMetrics metrics) {}

    /** One training step on the training maps at {@code indices} (package-private for the bench). */
    StepResult step(int[] indices) {
        int b = indices.length;
        int side = train.imageSide();
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray x = HostArrays.create(scope, train.images(indices, statistics), new Shape(b, 3, side, side));
            float[] truth = train.paths(indices);
            float[] weights = train.weights(indices);
            NDArray y = HostArrays.create(scope, truth, new Shape(b, grid, grid));
            float value;
            float[] suggested;
            int samples = 1;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray loss;
                switch (spec.method()) {
                    case FENCHEL_YOUNG -> {
                        loss = fenchelYoung.loss(out, y);
                        suggested = solver.solveOnHost(out.toFloatArray(), out.getShape(), scope);
                    }
                    case BASELINE -> {
                        loss = binaryCrossEntropy(out, y.reshape(b, (long) grid * grid));
                        suggested = positive(out.toFloatArray());
                    }
                    default -> {
                        samples = spec.samples();
                        loss = PathMetrics.hammingLoss(out, SampleLayout.repeatLike(y, out));
                        suggested = out.toFloatArray();
                    }
                }
                value = loss.getFloat();
                collector.backward(loss);
            }
            trainer.step();
            return new StepResult(
                    value, PathMetrics.of(repeat(weights, samples), repeat(truth, samples), suggested, grid));
        }
    }

    /** The noiseless metrics of the model on a split. */
    public PathMetrics evaluate(WarcraftSplit split) {
        PathMetrics total = PathMetrics.empty();
        int side = split.imageSide();
        for (int from = 0; from < split.size(); from += spec.batchSize()) {
            int b = Math.min(spec.batchSize(), split.size() - from);
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
                total = total.plus(PathMetrics.of(split.weights(indices), split.paths(indices), suggested, grid));
            }
        }
        return total;
    }

    /**
     * Writes a checkpoint into {@code dir} (which must exist): parameters with the discrete layer's
     * state, Adam's state, the epochs done and the Fenchel-Young noise stream.
     */
    public void save(Path dir) throws IOException {
        TrainingCheckpoint.save(dir, block, adam);
        Properties state = new Properties();
        state.setProperty("epochs", Integer.toString(epochsDone));
        state.setProperty("method", spec.method().id());
        state.setProperty("skippedSteps", Long.toString(skippedSteps()));
        if (fenchelYoung != null) {
            state.setProperty("fyDraws", Long.toString(fenchelYoung.draws()));
        }
        try (Writer out = Files.newBufferedWriter(dir.resolve(STATE_FILE))) {
            state.store(out, "warcraft session");
        }
    }

    private void restoreState(Path dir) throws IOException {
        Properties state = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve(STATE_FILE))) {
            state.load(in);
        }
        String method = state.getProperty("method", "");
        if (!method.equals(spec.method().id())) {
            throw new IOException(dir + " holds a checkpoint of method '" + method + "', not '" + spec.method() + "'");
        }
        epochsDone = Integer.parseInt(state.getProperty("epochs", "0"));
        skippedBefore = Long.parseLong(state.getProperty("skippedSteps", "0"));
        if (fenchelYoung != null) {
            fenchelYoung.restoreDraws(Long.parseLong(state.getProperty("fyDraws", "0")));
        }
    }

    @Override
    public void close() {
        try {
            trainer.close();
        } finally {
            model.close();
        }
    }

    /** The binary cross-entropy of logits, mean over every entry: {@code max(x,0) - x·y + log(1 + e^-|x|)}. */
    static NDArray binaryCrossEntropy(NDArray logits, NDArray y) {
        return Scalars.maximum(logits, 0)
                .sub(logits.mul(y))
                .add(logits.abs().neg().exp().add(1).log())
                .mean();
    }

    private static float[] positive(float[] logits) {
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] > 0 ? 1 : 0;
        }
        return out;
    }

    private float[] repeat(float[] perMap, int samples) {
        if (samples == 1) {
            return perMap;
        }
        int cells = grid * grid;
        int maps = perMap.length / cells;
        float[] out = new float[perMap.length * samples];
        for (int m = 0; m < maps; m++) {
            for (int s = 0; s < samples; s++) {
                System.arraycopy(perMap, m * cells, out, (m * samples + s) * cells, cells);
            }
        }
        return out;
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
