package dev.aimle.estimators.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.aimle.estimators.noise.Noise;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DiscreteTrainingStep} with a DJL {@link Trainer}: the optimizer receives the exact
 * gradients of the two-phase backward pass, a tiny model learns with Adam, and a long training loop
 * holds a constant number of live NDArrays.
 *
 * <p>Model: one sequential block: the bias-free linear encoder {@code theta = x E^T} ([B, D] to
 * [B, N]), a {@link DiscreteBlock} ([B, N] to [B*S, N]), and the bias-free linear decoder
 * {@code p = z F^T} ([B*S, N] to [B*S, M]).
 */
class DiscreteTrainingStepTest {
    static final int B = 4;
    static final int D = 5;
    static final int N = 6;
    static final int M = 3;
    static final int S = 2;
    static final int INIT_SEED = 1234;

    private static Model model(String name, DiscreteLayer layer) {
        Model model = Model.newInstance(name);
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(N).optBias(false).build())
                .add(new DiscreteBlock(layer))
                .add(Linear.builder().setUnits(M).optBias(false).build()));
        return model;
    }

    private static Trainer trainer(Model model, Optimizer optimizer) {
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer));
        // DJL's initializers draw from the engine's generator: seed it so every run starts alike
        Engine.getInstance().setRandomSeed(INIT_SEED);
        trainer.initialize(new Shape(B, D));
        return trainer;
    }

    private static Block child(Model model, int index) {
        return model.getBlock().getChildren().get(index).getValue();
    }

    private static NDArray weight(Block block) {
        return block.getParameters().get("weight").getArray();
    }

    private static NDArray gaussian(NDManager m, SplittableRandom random, Shape shape) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return m.create(v, shape);
    }

    private static DiscreteLayer layer(long seed) {
        return DiscreteLayer.builder()
                .solver(new PositiveSolver())
                .noise(Noise.gumbel())
                .estimator(new MeanOfDownstream())
                .samples(S)
                .inputTemperature(0.5)
                .seed(seed)
                .build();
    }

    /** One step of the model with loss {@code sum((p - y)^2)}; keeps z and returns the loss. */
    private static NDArray body(DiscreteTrainingStep.Context step, NDArray x, NDArray y, float[][] keepZ) {
        return body(step, x, y, keepZ, false);
    }

    /** As above, with the direct loss {@code ||theta||^2 / 2} if asked. */
    private static NDArray body(DiscreteTrainingStep.Context step, NDArray x, NDArray y, float[][] keepZ,
            boolean direct) {
        NDArray prediction = step.forward(new NDList(x)).singletonOrThrow();
        DiscreteSample z = step.samples().get(0);
        if (keepZ != null) {
            keepZ[0] = z.values().toFloatArray();
        }
        if (direct) {
            step.directLoss(z.theta().square().sum().mul(0.5f));
        }
        return prediction.sub(y).square().sum();
    }

    @ParameterizedTest(name = "direct loss {0}")
    @ValueSource(booleans = {false, true})
    void theOptimizerReceivesTheExactGradients(boolean direct) {
        long seed = 5;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("exact", layer(seed));
                Trainer trainer = trainer(model, Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build())) {
            NDManager m = trainer.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            NDArray y = gaussian(m, random, new Shape(B * S, M));
            float[] e = weight(child(model, 0)).toFloatArray(); // [N, D]
            float[] f = weight(child(model, 2)).toFloatArray(); // [M, N]
            float[][] z = new float[1][];
            float loss = DiscreteTrainingStep.run(trainer, new NDList(x, y), step -> body(step, x, y, z, direct));
            // with SGD and learning rate 1, the gradient is the change of each weight
            float[] e1 = weight(child(model, 0)).toFloatArray();
            float[] f1 = weight(child(model, 2)).toFloatArray();
            double[] dE = new double[N * D];
            double[] dF = new double[M * N];
            double[] dz = new double[B * S * N];
            double expectedLoss = 0;
            for (int i = 0; i < B * S; i++) {
                for (int k = 0; k < M; k++) {
                    double r = -y.getFloat(i, k);
                    for (int j = 0; j < N; j++) {
                        r += z[0][i * N + j] * f[k * N + j];
                    }
                    expectedLoss += r * r;
                    for (int j = 0; j < N; j++) {
                        dF[k * N + j] += 2 * r * z[0][i * N + j];
                        dz[i * N + j] += 2 * r * f[k * N + j];
                    }
                }
            }
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < N; j++) {
                    double g = 0;
                    for (int s = 0; s < S; s++) {
                        g += dz[(b * S + s) * N + j] / S;
                    }
                    if (direct) { // d(||theta||^2/2)/dtheta = theta = x E^T
                        double theta = 0;
                        for (int d = 0; d < D; d++) {
                            theta += x.getFloat(b, d) * e[j * D + d];
                        }
                        g += theta;
                        expectedLoss += theta * theta / 2;
                    }
                    for (int d = 0; d < D; d++) {
                        dE[j * D + d] += g * x.getFloat(b, d);
                    }
                }
            }
            assertEquals(expectedLoss, loss, 1e-4 * Math.max(1, expectedLoss), "the returned loss, seed " + seed);
            for (int i = 0; i < dF.length; i++) {
                assertEquals(dF[i], f[i] - f1[i], 1e-4 * Math.max(1, Math.abs(dF[i])),
                        "decoder gradient " + i + ", seed " + seed);
            }
            for (int i = 0; i < dE.length; i++) {
                assertEquals(dE[i], e[i] - e1[i], 1e-4 * Math.max(1, Math.abs(dE[i])),
                        "encoder gradient (J^T g) " + i + ", seed " + seed);
            }
            assertFalse(x.isReleased() || y.isReleased(), "the inputs must survive the step");
            assertSame(m, x.getManager(), "the inputs return to their manager");
        }
    }

    @Test
    void aTinyModelLearnsWithAdam() {
        long seed = 8;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("learns", layer(seed));
                Trainer trainer = trainer(model, Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.02f)).build())) {
            NDManager m = trainer.getManager();
            // the decoder should learn to map z to y = z T^T for a fixed teacher T, the encoder to make z useful
            NDArray teacherEncoder = gaussian(m, random, new Shape(N, D));
            NDArray teacherDecoder = gaussian(m, random, new Shape(M, N));
            double first = 0;
            double last = 0;
            int steps = 400;
            for (int t = 0; t < steps; t++) {
                try (NDManager batch = m.newSubManager()) {
                    NDArray x = gaussian(batch, random, new Shape(B, D));
                    NDArray zStar = new PositiveSolver().solve(x.matMul(teacherEncoder.transpose()));
                    NDArray y = zStar.matMul(teacherDecoder.transpose()).repeat(0, S);
                    float loss = DiscreteTrainingStep.run(trainer, new NDList(x, y), step -> body(step, x, y, null));
                    if (t < 50) {
                        first += loss / 50;
                    } else if (t >= steps - 50) {
                        last += loss / 50;
                    }
                }
            }
            System.out.printf("tiny model, Adam: mean loss %.3f over the first 50 steps, %.3f over the last 50%n", first, last);
            assertTrue(last < first / 2, "mean loss of the first 50 steps " + first + ", of the last 50 " + last
                    + "; expected at least a twofold fall (measured 2.5x with this seeded start; 2.7-3.9x over unseeded starts), seed " + seed);
        }
    }

    @Test
    void tenThousandStepsHoldAConstantNumberOfLiveArrays() {
        long seed = 13;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("live-arrays", layer(seed));
                Trainer trainer = trainer(model, Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build())) {
            NDManager m = trainer.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            NDArray y = gaussian(m, random, new Shape(B * S, M));
            int atFirstThousand = -1;
            for (int t = 1; t <= 10_000; t++) {
                DiscreteTrainingStep.run(trainer, new NDList(x, y), step -> body(step, x, y, null));
                if (t == 1_000) {
                    atFirstThousand = LiveArrays.count(m);
                }
            }
            int atTenThousand = LiveArrays.count(m);
            System.out.printf("live NDArrays: %d at step 1,000, %d at step 10,000%n", atFirstThousand, atTenThousand);
            assertEquals(atFirstThousand, atTenThousand, "live NDArrays at step 1,000 and at step 10,000");
        }
    }

    @Test
    void aFirstStepWithAllGradientsZeroIsSkippedNotFailed() {
        long seed = 17;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("zero", layer(seed));
                Trainer trainer = trainer(model, Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build())) {
            NDManager m = trainer.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            NDArray y = gaussian(m, random, new Shape(B * S, M));
            float[] e = weight(child(model, 0)).toFloatArray();
            float[] f = weight(child(model, 2)).toFloatArray();
            float loss = DiscreteTrainingStep.run(trainer, new NDList(x, y),
                    step -> step.forward(new NDList(x)).singletonOrThrow().mul(0f).sum());
            assertEquals(0f, loss);
            assertArrayEquals(e, weight(child(model, 0)).toFloatArray(), "encoder unchanged");
            assertArrayEquals(f, weight(child(model, 2)).toFloatArray(), "decoder unchanged");
            DiscreteTrainingStep.run(trainer, new NDList(x, y), step -> body(step, x, y, null));
            assertFalse(Arrays.equals(f, weight(child(model, 2)).toFloatArray()), "the next step trains, seed " + seed);
        }
    }

    @Test
    void aDiscreteBlockTrainsOnlyInsideAStepButInfersAnywhere() {
        long seed = 19;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("block", layer(seed));
                Trainer trainer = trainer(model, Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())) {
            NDManager m = trainer.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    trainer.forward(new NDList(x));
                }
            });
            assertTrue(e.getMessage().contains("DiscreteTrainingStep.run"), e.getMessage());
            try (NDManager scope = m.newSubManager()) {
                x.tempAttach(scope);
                NDArray prediction = trainer.evaluate(new NDList(x)).singletonOrThrow();
                assertEquals(new Shape(B * S, M), prediction.getShape());
                NDArray z = new DiscreteBlock(layer(seed)).forward(new ParameterStore(scope, false),
                        new NDList(gaussian(scope, random, new Shape(B, N))), false).singletonOrThrow();
                assertEquals(new Shape(B * S, N), z.getShape());
                for (float v : z.toFloatArray()) {
                    assertTrue(v == 0f || v == 1f, "sample value " + v);
                }
            }
            assertArrayEquals(new Shape[] {new Shape(B * S, N)},
                    new DiscreteBlock(layer(seed)).getOutputShapes(new Shape[] {new Shape(B, N)}));
        }
    }

    @Test
    void theContextRejectsMisuse() {
        long seed = 23;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("misuse", layer(seed));
                Trainer trainer = trainer(model, Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())) {
            NDManager m = trainer.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            NDArray y = gaussian(m, random, new Shape(B * S, M));
            IllegalArgumentException noLoss = assertThrows(IllegalArgumentException.class,
                    () -> DiscreteTrainingStep.run(trainer, new NDList(x), step -> {
                        step.forward(new NDList(x));
                        return null;
                    }));
            assertTrue(noLoss.getMessage().contains("no loss"), noLoss.getMessage());
            IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                    () -> DiscreteTrainingStep.run(trainer, new NDList(x), step -> {
                        NDArray loss = body(step, x, y, null);
                        DiscreteSample other = layer(seed).sample(step.manager().zeros(new Shape(B, N), DataType.FLOAT32));
                        step.lossPerSample(other, step.manager().zeros(new Shape(B * S), DataType.FLOAT32));
                        return loss;
                    }));
            assertTrue(foreign.getMessage().contains("was not drawn through this step"), foreign.getMessage());
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> DiscreteTrainingStep.run(trainer, new NDList(x), step -> {
                        NDArray loss = body(step, x, y, null);
                        step.directLoss(loss);
                        step.directLoss(loss);
                        return loss;
                    }));
            assertTrue(twice.getMessage().contains("already set"), twice.getMessage());
            // after those failures the trainer still trains
            float loss = DiscreteTrainingStep.run(trainer, new NDList(x, y), step -> body(step, x, y, null));
            assertTrue(Float.isFinite(loss));
        }
    }
}
