package dev.aimle.estimators.layer;

import static dev.aimle.estimators.TestArrays.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.aimle.estimators.Estimators;
import dev.aimle.estimators.SampleLayout;
import dev.aimle.estimators.Scalars;
import dev.aimle.estimators.imle.Aimle;
import dev.aimle.estimators.noise.Noise;
import dev.aimle.solvers.topk.TopKSolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DiscreteTrainer}: DJL's own training loop through discrete blocks. The optimizer receives
 * the exact gradients of the two-phase backward pass (including a term on the scores), EasyTrain
 * with listeners and evaluators trains a tiny model, a long loop holds a constant number of live
 * arrays, evaluation does not perturb training, and saved parameters carry the layer's state.
 *
 * <p>Model: the bias-free linear encoder {@code theta = x E^T} ([B, D] to [B, N]), a discrete block
 * ([B, N] to [B*S, N]), and the bias-free linear decoder {@code p = z F^T} ([B*S, N] to [B*S, M]).
 */
class DiscreteTrainerTest {
    static final int B = 4;
    static final int D = 5;
    static final int N = 6;
    static final int M = 3;
    static final int S = 2;
    static final int INIT_SEED = 1234;

    /** Squared error of predictions {@code [B*S, M]} (or {@code [B, M]} in evaluation) against labels {@code [B, M]}. */
    static final class RepeatedL2 extends Loss {
        RepeatedL2() {
            super("repeated-l2");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray p = predictions.get(0);
            return p.sub(SampleLayout.repeatLike(labels.singletonOrThrow(), p))
                    .square()
                    .sum();
        }
    }

    private static Model model(String name, DiscreteBlock discrete) {
        Model model = Model.newInstance(name);
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(N).optBias(false).build())
                .add(discrete);
        Block decoder = Linear.builder().setUnits(M).optBias(false).build();
        // a block with scores outputs [z, theta]: the decoder takes z and theta passes through
        block.add(
                discrete.getOutputShapes(new Shape[] {new Shape(B, N)}).length == 2
                        ? DiscreteBlock.onFirst(decoder)
                        : decoder);
        model.setBlock(block);
        return model;
    }

    private static DiscreteTrainer trainer(Model model, Optimizer optimizer) {
        DiscreteTrainer trainer =
                new DiscreteTrainer(model, new DefaultTrainingConfig(new RepeatedL2()).optOptimizer(optimizer));
        // DJL's initializers draw from the engine's generator: seed it so every run starts alike
        Engine.getInstance().setRandomSeed(INIT_SEED);
        trainer.initialize(new Shape(B, D));
        return trainer;
    }

    private static Block child(Model model, int index) {
        return model.getBlock().getChildren().get(index).getValue();
    }

    private static NDArray weight(Block block) {
        Block linear =
                block instanceof Linear ? block : block.getChildren().get(0).getValue();
        return linear.getParameters().get("weight").getArray();
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

    /** One training step by hand: forward, loss (plus {@code ||scores||^2/2}), backward, step. */
    private static float step(Trainer trainer, NDArray x, NDArray y, boolean scoresTerm) {
        float value;
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDList batch = new NDList(x, y);
            batch.tempAttach(step);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList out = trainer.forward(new NDList(x));
                NDArray loss = trainer.getLoss().evaluate(new NDList(y), out);
                if (scoresTerm) {
                    loss = loss.add(Scalars.mul(out.get(1).square().sum(), 0.5));
                }
                value = loss.getFloat();
                gc.backward(loss);
            }
            trainer.step();
        }
        return value;
    }

    @ParameterizedTest(name = "term on the scores {0}")
    @ValueSource(booleans = {false, true})
    void theOptimizerReceivesTheExactGradients(boolean scoresTerm) {
        long seed = 5;
        SplittableRandom random = new SplittableRandom(seed);
        DiscreteBlock discrete = scoresTerm ? DiscreteBlock.withScores(layer(seed)) : DiscreteBlock.of(layer(seed));
        try (Model model = model("exact", discrete);
                Trainer trainer = trainer(
                        model,
                        Optimizer.sgd()
                                .setLearningRateTracker(Tracker.fixed(1f))
                                .build())) {
            NDManager m = trainer.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            NDArray y = gaussian(m, random, new Shape(B, M));
            float[] e = weight(child(model, 0)).toFloatArray(); // [N, D]
            float[] f = weight(child(model, 2)).toFloatArray(); // [M, N]
            // the same seed and draw index give the samples the trainer's block draws
            float[] z = layer(seed)
                    .sample(x.matMul(weight(child(model, 0)).transpose()))
                    .values()
                    .toFloatArray();
            float loss = step(trainer, x, y, scoresTerm);
            // with SGD and learning rate 1, the gradient is the change of each weight
            float[] e1 = weight(child(model, 0)).toFloatArray();
            float[] f1 = weight(child(model, 2)).toFloatArray();
            double[] dE = new double[N * D];
            double[] dF = new double[M * N];
            double[] dz = new double[B * S * N];
            double expectedLoss = 0;
            for (int i = 0; i < B * S; i++) {
                for (int k = 0; k < M; k++) {
                    double r = -y.getFloat(i / S, k);
                    for (int j = 0; j < N; j++) {
                        r += z[i * N + j] * f[k * N + j];
                    }
                    expectedLoss += r * r;
                    for (int j = 0; j < N; j++) {
                        dF[k * N + j] += 2 * r * z[i * N + j];
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
                    if (scoresTerm) { // d(||theta||^2/2)/dtheta = theta = x E^T
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
            assertEquals(expectedLoss, loss, 1e-4 * Math.max(1, expectedLoss), "the loss, seed " + seed);
            for (int i = 0; i < dF.length; i++) {
                assertEquals(dF[i], f[i] - f1[i], 1e-4 * Math.max(1, Math.abs(dF[i])), "decoder gradient " + i);
            }
            for (int i = 0; i < dE.length; i++) {
                assertEquals(dE[i], e[i] - e1[i], 1e-4 * Math.max(1, Math.abs(dE[i])), "encoder gradient (J^T g) " + i);
            }
            assertFalse(x.isReleased() || y.isReleased(), "the inputs must survive the step");
        }
    }

    @Test
    void easyTrainFitsWithListenersAndEvaluatorsAndTheModelLearns() throws Exception {
        long seed = 8;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("learns", DiscreteBlock.of(layer(seed)));
                DiscreteTrainer trainer = trainer(
                        model,
                        Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(0.02f))
                                .build())) {
            NDManager m = trainer.getManager();
            NDArray teacherEncoder = gaussian(m, random, new Shape(N, D));
            NDArray teacherDecoder = gaussian(m, random, new Shape(M, N));
            NDArray x = gaussian(m, random, new Shape(400, D));
            NDArray y = new PositiveSolver()
                    .solve(x.matMul(teacherEncoder.transpose()))
                    .matMul(teacherDecoder.transpose());
            ArrayDataset data = new ArrayDataset.Builder()
                    .setData(x)
                    .optLabels(y)
                    .setSampling(B, false)
                    .build();
            AtomicInteger batches = new AtomicInteger();
            AtomicInteger validations = new AtomicInteger();
            AtomicInteger epochs = new AtomicInteger();
            TrainingListenerAdapter counter = new TrainingListenerAdapter() {
                @Override
                public void onTrainingBatch(Trainer t, BatchData batchData) {
                    batches.incrementAndGet();
                }

                @Override
                public void onValidationBatch(Trainer t, BatchData batchData) {
                    validations.incrementAndGet();
                }

                @Override
                public void onEpoch(Trainer t) {
                    epochs.incrementAndGet();
                }
            };
            double before = validationLoss(trainer, x, y);
            try (Model listened = model("listened", DiscreteBlock.of(layer(seed)));
                    DiscreteTrainer withListener = new DiscreteTrainer(
                            listened,
                            new DefaultTrainingConfig(new RepeatedL2())
                                    .optOptimizer(Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(0.02f))
                                            .build())
                                    .addTrainingListeners(TrainingListener.Defaults.basic())
                                    .addTrainingListeners(counter))) {
                Engine.getInstance().setRandomSeed(INIT_SEED);
                withListener.initialize(new Shape(B, D));
                EasyTrain.fit(withListener, 2, data, data);
                assertEquals(200, batches.get(), "onTrainingBatch: 100 batches x 2 epochs");
                assertEquals(200, validations.get(), "onValidationBatch");
                assertEquals(2, epochs.get(), "onEpoch");
                assertTrue(
                        Float.isFinite(withListener.getTrainingResult().getTrainLoss()),
                        "the loss evaluator accumulated: " + withListener.getTrainingResult());
            }
            EasyTrain.fit(trainer, 3, data, null);
            double after = validationLoss(trainer, x, y);
            System.out.printf("EasyTrain, tiny model: noiseless loss %.3f -> %.3f%n", before, after);
            assertTrue(
                    after < before / 2,
                    "noiseless loss " + before + " -> " + after + ", expected a twofold fall, seed " + seed);
        }
    }

    private static double validationLoss(Trainer trainer, NDArray x, NDArray y) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList batch = new NDList(x, y);
            batch.tempAttach(scope);
            NDList prediction = trainer.evaluate(new NDList(x));
            assertEquals(new Shape(x.getShape().get(0), M), prediction.get(0).getShape(), "evaluation: one MAP state");
            return trainer.getLoss().evaluate(new NDList(y), prediction).getFloat()
                    / x.getShape().get(0);
        }
    }

    @Test
    void tenThousandStepsHoldAConstantNumberOfLiveArrays() {
        long seed = 13;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("live-arrays", DiscreteBlock.withScores(layer(seed)));
                Trainer trainer = trainer(
                        model,
                        Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(0.01f))
                                .build())) {
            NDManager m = trainer.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            NDArray y = gaussian(m, random, new Shape(B, M));
            int atFirstThousand = -1;
            for (int t = 1; t <= 10_000; t++) {
                step(trainer, x, y, true);
                if (t == 1_000) {
                    atFirstThousand = LiveArrays.count(m);
                }
            }
            int atTenThousand = LiveArrays.count(m);
            System.out.printf("live NDArrays: %d at step 1,000, %d at step 10,000%n", atFirstThousand, atTenThousand);
            assertEquals(atFirstThousand, atTenThousand, "live NDArrays at step 1,000 and at step 10,000");
        }
    }

    /**
     * An encoder into a top-2 layer whose AIMLE starts at the paper's alpha0 = 0, so its first
     * gradient is all zero; the model is the encoder alone (the caller closes it).
     */
    private static Model zeroAtFirst(String name, long seed) {
        DiscreteLayer aimle = DiscreteLayer.builder()
                .solver(new TopKSolver(2))
                .noise(Noise.gumbel())
                .estimator(Estimators.aimle().eta(0.05).build())
                .seed(seed)
                .build();
        Model model = Model.newInstance(name);
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(N).optBias(false).build())
                .add(DiscreteBlock.of(aimle)));
        return model;
    }

    @Test
    void stepsWithAllGradientsZeroAreSkippedNotFailed() {
        long seed = 17;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = zeroAtFirst("zero", seed)) {
            try (DiscreteTrainer trainer = trainer(
                    model,
                    Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build())) {
                NDManager m = trainer.getManager();
                NDArray x = gaussian(m, random, new Shape(B, D));
                NDArray y = gaussian(m, random, new Shape(B, N));
                float[] e = weight(child(model, 0)).toFloatArray();
                step(trainer, x, y, false);
                assertEquals(1, trainer.skippedSteps());
                assertArrayEquals(e, weight(child(model, 0)).toFloatArray(), "encoder unchanged");
                int steps = 1;
                while (Arrays.equals(e, weight(child(model, 0)).toFloatArray()) && steps < 100) {
                    step(trainer, x, y, false);
                    steps++;
                }
                assertTrue(steps < 100, "alpha grows by eta = 0.05 per step, so the encoder trains within a few steps");
                assertEquals(steps - 1, trainer.skippedSteps(), "every step before the first non-zero one was skipped");
            }
        }
    }

    @Test
    void aTrainerMarkedAsResumedSkipsNoStep() {
        long seed = 23;
        SplittableRandom random = new SplittableRandom(seed);
        // the same all-zero first gradient as above (AIMLE from alpha0 = 0); weight decay makes an
        // update that reaches the optimizer visible even when the gradient is zero
        for (boolean resumed : new boolean[] {false, true}) {
            try (Model model = zeroAtFirst("resumed", seed)) {
                try (DiscreteTrainer trainer = trainer(
                        model,
                        Optimizer.sgd()
                                .setLearningRateTracker(Tracker.fixed(1f))
                                .optWeightDecays(0.5f)
                                .build())) {
                    if (resumed) {
                        trainer.markResumedAfterUpdates();
                    }
                    NDManager m = trainer.getManager();
                    NDArray x = gaussian(m, random, new Shape(B, D));
                    NDArray y = gaussian(m, random, new Shape(B, N));
                    float[] before = weight(child(model, 0)).toFloatArray();
                    step(trainer, x, y, false);
                    float[] after = weight(child(model, 0)).toFloatArray();
                    assertEquals(resumed ? 0 : 1, trainer.skippedSteps(), "resumed " + resumed + " (seed 23)");
                    assertEquals(
                            !resumed,
                            Arrays.equals(before, after),
                            "the zero-gradient step decays the weights only when it is not skipped");
                }
            }
        }
    }

    @Test
    void aDiscreteBlockTrainsOnlyUnderADiscreteTrainerButInfersAnywhere() {
        long seed = 19;
        SplittableRandom random = new SplittableRandom(seed);
        try (Model model = model("block", DiscreteBlock.of(layer(seed)));
                Trainer plain = model.newTrainer(new DefaultTrainingConfig(new RepeatedL2()))) {
            plain.initialize(new Shape(B, D));
            NDManager m = plain.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                GradientCollector gc = plain.newGradientCollector();
                try {
                    plain.forward(new NDList(x));
                } finally {
                    gc.close();
                }
            });
            assertTrue(e.getMessage().contains("DiscreteTrainer"), e.getMessage());
            try (NDManager scope = m.newSubManager()) {
                x.tempAttach(scope);
                NDArray prediction = plain.evaluate(new NDList(x)).singletonOrThrow();
                assertEquals(new Shape(B, M), prediction.getShape(), "inference: one noiseless MAP state per instance");
            }
            assertArrayEquals(
                    new Shape[] {new Shape(B * S, N)},
                    DiscreteBlock.of(layer(seed)).getOutputShapes(new Shape[] {new Shape(B, N)}));
            assertArrayEquals(
                    new Shape[] {new Shape(B * S, N), new Shape(B, N)},
                    DiscreteBlock.withScores(layer(seed)).getOutputShapes(new Shape[] {new Shape(B, N)}));
        }
    }

    /** Two identical runs, one evaluating after every step: bit-identical weights and layer state. */
    @Test
    void evaluatingEveryStepOrNeverGivesBitIdenticalTraining() {
        long seed = 29;
        float[][] weights = new float[2][];
        LayerState[] states = new LayerState[2];
        for (int run = 0; run < 2; run++) {
            SplittableRandom random = new SplittableRandom(seed);
            DiscreteLayer layer = DiscreteLayer.builder()
                    .solver(new TopKSolver(2))
                    .noise(Noise.gumbel())
                    .estimator(Estimators.aimle().central().alpha0(0.5).build())
                    .samples(S)
                    .seed(seed)
                    .build();
            try (Model model = model("eval-" + run, DiscreteBlock.of(layer));
                    Trainer trainer = trainer(
                            model,
                            Optimizer.adam()
                                    .optLearningRateTracker(Tracker.fixed(0.01f))
                                    .build())) {
                NDManager m = trainer.getManager();
                for (int t = 0; t < 30; t++) {
                    NDArray x = gaussian(m, random, new Shape(B, D));
                    NDArray y = gaussian(m, random, new Shape(B, M));
                    step(trainer, x, y, false);
                    if (run == 1) {
                        validationLoss(trainer, x, y);
                    }
                    x.close();
                    y.close();
                }
                weights[run] = weight(child(model, 0)).toFloatArray();
                states[run] = layer.state();
            }
        }
        assertArrayEquals(weights[0], weights[1], "encoder weights with and without evaluation, seed " + seed);
        assertEquals(states[0], states[1]);
        assertEquals(30, states[0].draws());
    }

    /** saveParameters/loadParameters carry alpha, gbar, steps and the noise stream; training resumes exactly. */
    @Test
    void savedParametersCarryTheLayerStateAndTrainingResumesExactly() throws Exception {
        long seed = 31;
        SplittableRandom random = new SplittableRandom(seed);
        DiscreteLayer original = aimleLayer(seed);
        try (Model model = model("saved", DiscreteBlock.of(original));
                Trainer trainer = trainer(
                        model,
                        Optimizer.sgd()
                                .setLearningRateTracker(Tracker.fixed(0.1f))
                                .build())) {
            NDManager m = trainer.getManager();
            NDArray x = gaussian(m, random, new Shape(B, D));
            NDArray y = gaussian(m, random, new Shape(B, M));
            for (int t = 0; t < 20; t++) {
                step(trainer, x, y, false);
            }
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            model.getBlock().saveParameters(new DataOutputStream(saved));
            LayerState atSave = original.state();
            Aimle estimator = (Aimle) original.estimator();
            assertTrue(estimator.alpha() > 0 && estimator.steps() == 20, "alpha " + estimator.alpha());

            DiscreteLayer restored = aimleLayer(seed);
            try (Model copy = model("loaded", DiscreteBlock.of(restored))) {
                // as after Model.load: the parameters are read before a trainer is made
                copy.getBlock().initialize(copy.getNDManager(), DataType.FLOAT32, new Shape(B, D));
                copy.getBlock()
                        .loadParameters(
                                copy.getNDManager(),
                                new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
                assertEquals(original.state(), restored.state(), "alpha, gbar, steps and the noise stream");
                // DJL does not mark loaded parameters as trainable
                copy.getBlock()
                        .getParameters()
                        .values()
                        .forEach(p -> p.getArray().setRequiresGradient(true));
                Trainer resumed = new DiscreteTrainer(
                        copy,
                        new DefaultTrainingConfig(new RepeatedL2())
                                .optOptimizer(Optimizer.sgd()
                                        .setLearningRateTracker(Tracker.fixed(0.1f))
                                        .build()));
                for (int t = 0; t < 10; t++) {
                    step(trainer, x, y, false);
                    step(resumed, x, y, false);
                }
                assertArrayEquals(
                        weight(child(model, 0)).toFloatArray(),
                        weight(child(copy, 0)).toFloatArray(),
                        "encoder weights 10 steps after the reload, seed " + seed);
                assertEquals(original.state(), restored.state());
                resumed.close();
            }
            DiscreteLayer otherSeed = aimleLayer(seed + 1);
            try (Model other = model("other", DiscreteBlock.of(otherSeed))) {
                Engine.getInstance().setRandomSeed(INIT_SEED);
                other.getBlock().initialize(m, DataType.FLOAT32, new Shape(B, D));
                Exception e = assertThrows(
                        Exception.class,
                        () -> other.getBlock()
                                .loadParameters(m, new DataInputStream(new ByteArrayInputStream(saved.toByteArray()))));
                assertTrue(e.getMessage().contains("seed " + seed), e.getMessage());
            }
            // built without a seed, a layer takes the saved stream's: no need to know the training seed
            DiscreteLayer unseeded = DiscreteLayer.builder()
                    .solver(new TopKSolver(2))
                    .noise(Noise.gumbel())
                    .estimator(Estimators.aimle().central().build())
                    .samples(S)
                    .build();
            try (Model third = model("unseeded", DiscreteBlock.of(unseeded))) {
                third.getBlock().initialize(third.getNDManager(), DataType.FLOAT32, new Shape(B, D));
                third.getBlock()
                        .loadParameters(
                                third.getNDManager(),
                                new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
                assertEquals(seed, unseeded.seed(), "the saved seed");
                assertEquals(atSave, unseeded.state(), "alpha, gbar, steps and the noise stream");
            }
        }
    }

    private static DiscreteLayer aimleLayer(long seed) {
        return DiscreteLayer.builder()
                .solver(new TopKSolver(2))
                .noise(Noise.gumbel())
                .estimator(Estimators.aimle().central().build())
                .samples(S)
                .seed(seed)
                .build();
    }
}
