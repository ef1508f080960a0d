package dev.aimle.app.bench;

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
import ai.djl.training.optimizer.Optimizer;
import dev.aimle.api.Config;
import dev.aimle.api.MapSolver;
import dev.aimle.app.experiments.dvae.DvaeMethod;
import dev.aimle.app.experiments.dvae.DvaeModel;
import dev.aimle.estimators.layer.DiscreteLayer;
import dev.aimle.estimators.layer.DiscreteTrainer;
import dev.aimle.estimators.noise.Noise;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One training step of the DVAE experiment's model (batch 100, Adam) per method, next to a plain
 * autoencoder with the same layers and no discrete layer: the ratio is what the discrete layer costs.
 */
public final class DvaeStepBenchmark implements Benchmark {
    private static final int BATCH = 100;
    private static final int PIXELS = 784;

    /** A method at a K. */
    private record Variant(String label, DvaeMethod method, int k, double lambda) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("AIMLE central", DvaeMethod.AIMLE_CENTRAL, 10, 0),
            new Variant("AIMLE forward", DvaeMethod.AIMLE_FORWARD, 10, 0),
            new Variant("IMLE central, lambda 10", DvaeMethod.IMLE_CENTRAL, 10, 10),
            new Variant("STE", DvaeMethod.STE, 10, 0),
            new Variant("AIMLE central", DvaeMethod.AIMLE_CENTRAL, 1, 0),
            new Variant("Gumbel-softmax", DvaeMethod.GUMBEL_SOFTMAX, 1, 0));

    @Override
    public String name() {
        return "dvae";
    }

    @Override
    public String description() {
        return "a DVAE training step (batch 100, Adam) per method vs the plain autoencoder with the same layers";
    }

    @Override
    public List<BenchmarkResult> run(BenchmarkContext context) {
        // a step allocates tens of arrays through the engine: the JIT and the allocator settle only after
        // dozens of steps (with 10 warm-up steps the first variant measured 3x its settled median)
        int warmUp = context.quick() ? 2 : 40;
        int reps = context.quick() ? 5 : 60;
        List<BenchmarkResult> rows = new ArrayList<>();
        Timing.Summary plain = measure(context, DvaeModel.plainAutoencoder(PIXELS), warmUp, reps);
        rows.add(new BenchmarkResult(
                name(),
                "plain autoencoder",
                "[100, 784]",
                plain.repetitions(),
                plain.medianMillis(),
                plain.minMillis(),
                "no discrete layer"));
        for (Variant v : VARIANTS) {
            MapSolver topk = context.discovery().solvers().get("topk").create(Config.of("k", v.k()));
            DiscreteLayer layer = DiscreteLayer.builder()
                    .solver(topk)
                    .noise(v.k() == 1 ? Noise.gumbel() : Noise.sumOfGamma(v.k(), 10))
                    .estimator(v.method().create(v.lambda(), false))
                    .seed(context.seed())
                    .build();
            Timing.Summary t = measure(context, DvaeModel.block(layer, PIXELS), warmUp, reps);
            rows.add(new BenchmarkResult(
                    name(),
                    v.label() + " step",
                    "[100, 784], K=" + v.k(),
                    t.repetitions(),
                    t.medianMillis(),
                    t.minMillis(),
                    String.format(
                            Locale.ROOT, "%.2fx the plain autoencoder", t.medianMillis() / plain.medianMillis())));
            context.progress().printf("dvae: %s K=%d done%n", v.label(), v.k());
            context.progress().flush();
        }
        return rows;
    }

    private static Timing.Summary measure(BenchmarkContext context, Block block, int warmUp, int reps) {
        try (Model model = Model.newInstance("bench-dvae")) {
            model.setBlock(block);
            Engine.getInstance().setRandomSeed((int) context.seed());
            try (Trainer trainer = new DiscreteTrainer(
                    model,
                    new DefaultTrainingConfig(new DvaeModel.Elbo())
                            .optOptimizer(Optimizer.adam().build()))) {
                trainer.initialize(new Shape(BATCH, PIXELS));
                NDManager m = trainer.getManager();
                SplittableRandom random = new SplittableRandom(context.seed());
                float[] pixels = new float[BATCH * PIXELS];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = random.nextDouble() < 0.3 ? 1 : 0;
                }
                NDArray x = m.create(pixels, new Shape(BATCH, PIXELS)).toType(DataType.FLOAT32, false);
                return Timing.measure(warmUp, reps, () -> {
                    try (NDManager scope = m.newSubManager()) {
                        x.tempAttach(scope);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(x));
                            gc.backward(trainer.getLoss().evaluate(new NDList(x), out));
                        }
                        trainer.step();
                    }
                });
            }
        }
    }
}
