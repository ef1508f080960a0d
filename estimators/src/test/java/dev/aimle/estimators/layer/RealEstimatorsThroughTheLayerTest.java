package dev.aimle.estimators.layer;

import static dev.aimle.estimators.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.aimle.api.Config;
import dev.aimle.api.GradientEstimator;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.GraphSafeL2Loss;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in estimators, found by name, learn through a {@link DiscreteBlock} inside a DJL model
 * trained with Adam by a {@link DiscreteTrainer}, the layer called by hand: a linear encoder {@code theta = W x} (8 x 5), a
 * top-1 layer with Gumbel noise and S = 4, and the loss {@code ||z - z*||^2} against a teacher's
 * {@code z* = argmax(W* x)}. The held-out MAP error rate must fall at least threefold within 300
 * steps of 32 examples (seed fixed). The score-function estimator gets the loss of each sample.
 * AIMLE with the paper's alpha0 = 0 returns a zero gradient on its first step, which DJL's
 * {@code Trainer} would refuse.
 */
class RealEstimatorsThroughTheLayerTest {
    static final int D = 5;
    static final int N = 8;
    static final int BATCH = 32;
    static final int S = 4;
    static final int STEPS = 300;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ste",
                "imle",
                "aimle",
                "aimle central",
                "aimle calibrated",
                "aimle calibrated-central",
                "sfe",
                "gumbel-softmax",
                "sst"
            })
    void learnsThroughTheLayer(String label) {
        long seed = 21;
        SplittableRandom random = new SplittableRandom(seed);
        String name = label.split(" ")[0];
        // the loss is a mean over B*S samples, so dL/dz is small: IMLE needs a large lambda (AIMLE adapts it)
        Config config = switch (label) {
            case "imle" -> Config.of("lambda", 100);
            case "aimle central" -> Config.of("difference", "central");
            case "aimle calibrated" -> Config.of("preset", "calibrated");
            case "aimle calibrated-central" -> Config.of(Map.of("preset", "calibrated", "difference", "central"));
            default -> Config.empty();
        };
        GradientEstimator estimator = Estimators.estimatorRegistry(getClass().getClassLoader())
                .get(name)
                .create(config);
        TopKSolver map = new TopKSolver(1);
        DiscreteLayer layer = DiscreteLayer.builder()
                .solver(map)
                .noise(Noise.gumbel())
                .estimator(estimator)
                .samples(S)
                .seed(seed)
                .build();
        try (Model model = Model.newInstance("real-" + name)) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(N).optBias(false).build()));
            try (Trainer trainer = new DiscreteTrainer(
                    model,
                    new DefaultTrainingConfig(new GraphSafeL2Loss())
                            .optOptimizer(Optimizer.adam()
                                    .optLearningRateTracker(Tracker.fixed(0.05f))
                                    .build()))) {
                // DJL's initializers draw from the engine's generator: seed it so every run starts alike
                Engine.getInstance().setRandomSeed((int) seed);
                trainer.initialize(new Shape(BATCH, D));
                NDManager m = trainer.getManager();
                Block encoder = model.getBlock().getChildren().get(0).getValue();
                NDArray teacher = gaussian(m, random, new Shape(N, D), 3);
                NDArray heldOut = gaussian(m, random, new Shape(512, D), 1);
                NDArray heldOutTarget = map.solve(heldOut.matMul(teacher.transpose()));
                double initial = errorRate(m, encoder, map, heldOut, heldOutTarget);
                for (int step = 0; step < STEPS; step++) {
                    try (NDManager batch = m.newSubManager()) {
                        NDArray x = gaussian(batch, random, new Shape(BATCH, D), 1);
                        NDArray target =
                                map.solve(x.matMul(teacher.transpose())).repeat(0, S);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray theta = trainer.forward(new NDList(x)).singletonOrThrow();
                            DiscreteSample z = layer.sample(theta);
                            NDArray perSample = z.values().sub(target).square().sum(new int[] {1});
                            if (estimator.requiresLossPerSample()) {
                                layer.backward(gc, perSample.mean(), z, perSample);
                            } else {
                                layer.backward(gc, perSample.mean(), z);
                            }
                        }
                        trainer.step();
                    }
                }
                double last = errorRate(m, encoder, map, heldOut, heldOutTarget);
                System.out.printf("through the layer, %s: held-out error %.3f -> %.3f%n", label, initial, last);
                assertTrue(
                        last <= initial / 3,
                        label + ": held-out error went from " + initial + " to " + last
                                + ", expected at most a third (seed " + seed + ")");
            }
        }
    }

    private static double errorRate(NDManager m, Block encoder, TopKSolver map, NDArray x, NDArray target) {
        try (NDManager scope = m.newSubManager()) {
            x.tempAttach(scope);
            NDArray theta = encoder.forward(new ParameterStore(scope, false), new NDList(x), false)
                    .singletonOrThrow();
            NDArray wrong =
                    map.solve(theta).sub(target).abs().sum(new int[] {1}).gt(0f);
            return wrong.toType(DataType.FLOAT32, false).mean().getFloat();
        }
    }
}
