package dev.aimle.app.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.app.experiments.l2x.BeerAspect;
import dev.aimle.app.experiments.l2x.L2xMethod;
import dev.aimle.app.experiments.l2x.L2xModel;
import dev.aimle.app.experiments.l2x.L2xSession;
import dev.aimle.app.experiments.l2x.L2xSpec;
import dev.aimle.app.experiments.l2x.RationaleTask;
import dev.aimle.app.training.Steps;
import dev.aimle.estimators.layer.DiscreteTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One training step of the learning-to-explain model (the reference's explainer, 100 filters, and
 * predictor, 250 units; batch 40, 64 tokens of 50-d vectors, k = 10, t = 1, IMLE's lambda 100,
 * Sum-of-Gamma noise, Adam) per method, built as {@code aimle l2x} builds it, next
 * to the same model with a soft mask {@code sigmoid(theta)} instead of a k-subset: the ratio is what
 * the selection costs.
 */
public final class L2xStepBenchmark implements Benchmark {
    private static final int BATCH = 40;
    private static final int TOKENS = 64;
    private static final int DIMENSIONS = 50;
    private static final int K = 10;

    @Override
    public String name() {
        return "l2x";
    }

    @Override
    public String description() {
        return "a learning-to-explain training step (batch 40, 64 tokens, k = 10) per method vs a soft mask";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        int warmUp = context.quick() ? 2 : 20;
        int reps = context.quick() ? 5 : 40;
        List<BenchmarkResult> rows = new ArrayList<>();
        LambdaBlock soft = new LambdaBlock(in -> new NDList(Activation.sigmoid(in.get(0))));
        Timing.Summary plain = measure(context, soft, true, warmUp, reps);
        rows.add(new BenchmarkResult(
                name(),
                "soft mask (no k-subset)",
                shape(),
                plain.repetitions(),
                plain.medianMillis(),
                plain.minMillis(),
                "sigmoid(theta) as the selection"));
        for (L2xMethod method : L2xMethod.values()) {
            MapSolver topk = context.discovery().solvers().get("topk").create(Config.of("k", K));
            L2xSpec spec = new L2xSpec(
                    method,
                    K,
                    1.0,
                    method.usesLambda() ? 100 : 0,
                    false,
                    "sog",
                    context.seed(),
                    1,
                    BATCH,
                    1e-3,
                    BeerAspect.AROMA,
                    L2xSpec.GENERATED,
                    RationaleTask.DEFAULT,
                    TOKENS,
                    250,
                    L2xModel.REFERENCE_FILTERS,
                    0);
            Block selector = L2xSession.selector(spec, topk).block();
            Timing.Summary t = measure(context, selector, method.relaxation() != null, warmUp, reps);
            String label = method.label() + (method.usesLambda() ? " λ=100" : "") + " step";
            rows.add(new BenchmarkResult(
                    name(),
                    label,
                    shape(),
                    t.repetitions(),
                    t.medianMillis(),
                    t.minMillis(),
                    String.format(Locale.ROOT, "%.2fx the soft mask", t.medianMillis() / plain.medianMillis())));
            context.progress().printf("l2x: %s done%n", label);
            context.progress().flush();
        }
        return rows;
    }

    private static String shape() {
        return "[40, 64, 50], k=10";
    }

    private static Timing.Summary measure(
            BenchmarkContext context, Block selector, boolean plainTrainer, int warmUp, int reps) {
        try (Model model = Model.newInstance("bench-l2x")) {
            L2xModel block = new L2xModel(selector, K, 250, L2xModel.REFERENCE_FILTERS, 3, context.seed());
            model.setBlock(block);
            Engine.getInstance().setRandomSeed((int) context.seed());
            DefaultTrainingConfig config = new DefaultTrainingConfig(new Steps.Recording(new L2xModel.SquaredError()))
                    .optOptimizer(Optimizer.adam().build());
            try (Trainer trainer = plainTrainer ? model.newTrainer(config) : new DiscreteTrainer(model, config)) {
                trainer.initialize(new Shape(BATCH, TOKENS, DIMENSIONS), new Shape(BATCH, TOKENS));
                NDManager m = trainer.getManager();
                SplittableRandom random = new SplittableRandom(context.seed());
                float[] vectors = new float[BATCH * TOKENS * DIMENSIONS];
                for (int i = 0; i < vectors.length; i++) {
                    vectors[i] = (float) random.nextGaussian();
                }
                boolean[] open = new boolean[BATCH * TOKENS];
                float[] scores = new float[BATCH];
                for (int b = 0; b < BATCH; b++) {
                    int length = 30 + random.nextInt(TOKENS - 30);
                    for (int i = TOKENS - length; i < TOKENS; i++) {
                        open[b * TOKENS + i] = true;
                    }
                    scores[b] = (float) random.nextDouble();
                }
                NDArray x = m.create(vectors, new Shape(BATCH, TOKENS, DIMENSIONS));
                NDArray mask = m.create(open, new Shape(BATCH, TOKENS));
                NDArray y = m.create(scores).toType(DataType.FLOAT32, false);
                return Timing.measure(warmUp, reps, () -> {
                    Steps.trainKept(trainer, new NDList(x, mask), new NDList(y));
                });
            }
        }
    }
}
